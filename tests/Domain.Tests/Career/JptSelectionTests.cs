using Merit.Career;
using Merit.Deciding;
using Xunit;
using static Merit.Tests.Career.CareerFixtures;
using static Merit.Tests.Scenario;

namespace Merit.Tests.Career;

/// <summary>JPT open selection: pansel (R34), applicants and extensions (R35), eligibility (R36), shortlist and PPK pick (R37), conflicts of interest (R38).</summary>
public class JptSelectionTests
{
    private static readonly Guid SelectionId = JptDecisions.IdFor("JPT-2025-01");

    private static readonly DateTimeOffset Announced = At(2025, 7, 1);

    private static readonly DateTimeOffset Registering = At(2025, 7, 10);

    private static JptSelectionAnnounced Announcement(JptLevel level = JptLevel.Pratama, string? minimumRank = null) =>
        new(SelectionId, "JPT-2025-01", Instansi, "Kepala Dinas Pendidikan", level, D(2025, 7, 15), minimumRank is null ? null : Rank.Parse(minimumRank), "JPT-2020", Announced);

    private static PanselMember External(int i) => new($"EXT-{i}", false, null);

    private static PanselMember Internal(int i, Post post = Post.JptPratama) => new($"INT-{i}", true, post);

    private static readonly PanselMember[] Five = [Internal(1), Internal(2, Post.JptMadya), External(1), External(2), External(3)];

    private static PanselFormed Pansel() => new(SelectionId, "KEP-PANSEL-1", Five, 2, "JPT-2020", Announced);

    private static RegisterJptApplicant Applicant(string code, DateOnly? birth = null, Post post = Post.Administrator, int yearsInPost = 3, Education education = Education.S2, int experience = 8, string? approval = null, string? rank = "IV/b") =>
        new(SelectionId, code, StableId.For("test-servant", code), birth ?? D(1975, 5, 5), education, experience, post, yearsInPost, rank is null ? null : Rank.Parse(rank), approval, Registering);

    private static JptApplicantRegistered Registered(string code) =>
        (JptApplicantRegistered)JptDecisions.Register(Evolve(Announcement()), null, Applicant(code)).Events.Single();

    private static JptSelection Evolve(params object[] events) => events.Aggregate((JptSelection?)null, JptSelection.Evolve)!;

    private static object[] ClosedWith(params string[] codes) =>
        [Announcement(), Pansel(), .. codes.Select(Registered), new JptRegistrationClosed(SelectionId, codes.Length, "JPT-2020", Registering)];

    private static IEnumerable<JptScoreRecorded> Scores(string applicant, decimal competence, decimal paper, decimal interview, IEnumerable<PanselMember>? members = null) =>
        (members ?? Five).SelectMany(m => new[] { ("competence", competence), ("paper", paper), ("interview", interview) }
            .Select(s => new JptScoreRecorded(SelectionId, m.Code, applicant, s.Item1, s.Item2, true, "JPT-2020", Registering)));

    [Fact]
    public void A_selection_is_announced_under_the_JPT_rule_set_in_force()
    {
        Given<JptSelection>(JptSelection.Evolve)
            .When(s => JptDecisions.Announce(s, new AnnounceJptSelection("JPT-2025-01", Instansi, "Kepala Dinas Pendidikan", JptLevel.Pratama, D(2025, 7, 15), null, Announced)))
            .Then(Announcement());
    }

    [Fact]
    public void A_pansel_of_five_with_two_internal_JPT_members_is_formed_R34() =>
        Given<JptSelection>(JptSelection.Evolve, Announcement())
            .When(s => JptDecisions.FormPansel(s, new FormPansel(SelectionId, "KEP-PANSEL-1", Five, Announced)))
            .Then(Pansel());

    [Theory]
    [InlineData(4, 1, "pansel.size")]
    [InlineData(11, 2, "pansel.size")]
    [InlineData(6, 2, "pansel.even")]
    [InlineData(5, 3, "pansel.internal-share")]
    [InlineData(9, 5, "pansel.internal-share")]
    public void A_pansel_is_odd_5_to_9_with_at_most_45_percent_internal_R34(int size, int internalMembers, string code)
    {
        var members = Enumerable.Range(1, internalMembers).Select(i => Internal(i)).Concat(Enumerable.Range(1, size - internalMembers).Select(External)).ToList();
        Given<JptSelection>(JptSelection.Evolve, Announcement())
            .When(s => JptDecisions.FormPansel(s, new FormPansel(SelectionId, "KEP", members, Announced)))
            .ThenRefusedAs(code, RefusalKind.Rule);
    }

    [Fact]
    public void Nine_members_with_four_internal_is_44_percent_and_allowed_R34()
    {
        var members = Enumerable.Range(1, 4).Select(i => Internal(i)).Concat(Enumerable.Range(1, 5).Select(External)).ToList();
        var formed = Given<JptSelection>(JptSelection.Evolve, Announcement())
            .When(s => JptDecisions.FormPansel(s, new FormPansel(SelectionId, "KEP", members, Announced)))
            .ThenSingle<PanselFormed>();
        Assert.Equal(4, formed.Internal);
    }

    [Fact]
    public void An_internal_member_holds_a_post_at_least_the_level_filled_R34()
    {
        PanselMember[] administrator = [Internal(1, Post.Administrator), External(1), External(2), External(3), External(4)];
        var refusal = Given<JptSelection>(JptSelection.Evolve, Announcement())
            .When(s => JptDecisions.FormPansel(s, new FormPansel(SelectionId, "KEP", administrator, Announced)))
            .ThenRefusedAs("pansel.internal-post", RefusalKind.Rule);
        Assert.Contains("INT-1", refusal.Message, StringComparison.Ordinal);

        PanselMember[] pratamaForMadya = [Internal(1, Post.JptPratama), External(1), External(2), External(3), External(4)];
        Given<JptSelection>(JptSelection.Evolve, Announcement(JptLevel.Madya))
            .When(s => JptDecisions.FormPansel(s, new FormPansel(SelectionId, "KEP", pratamaForMadya, Announced)))
            .ThenRefusedAs("pansel.internal-post", RefusalKind.Rule);
    }

    [Fact]
    public void With_fewer_than_4_eligible_applicants_registration_cannot_close_and_is_extended_at_most_twice_by_7_days_R35()
    {
        object[] three = [Announcement(), Pansel(), Registered("A1"), Registered("A2"), Registered("A3")];
        var refusal = Given<JptSelection>(JptSelection.Evolve, three)
            .When(s => JptDecisions.Close(s, new CloseJptRegistration(SelectionId, At(2025, 7, 16))))
            .ThenRefusedAs("jpt.too-few-applicants", RefusalKind.Rule);
        Assert.Contains("2 extension(s)", refusal.Message, StringComparison.Ordinal);

        var first = new JptRegistrationExtended(SelectionId, 1, 3, D(2025, 7, 15), D(2025, 7, 22), "JPT-2020", At(2025, 7, 16));
        Given<JptSelection>(JptSelection.Evolve, three)
            .When(s => JptDecisions.Extend(s, new ExtendJptRegistration(SelectionId, At(2025, 7, 16))))
            .Then(first);
        var second = new JptRegistrationExtended(SelectionId, 2, 3, D(2025, 7, 22), D(2025, 7, 29), "JPT-2020", At(2025, 7, 23));
        Given<JptSelection>(JptSelection.Evolve, [.. three, first])
            .When(s => JptDecisions.Extend(s, new ExtendJptRegistration(SelectionId, At(2025, 7, 23))))
            .Then(second);
        Given<JptSelection>(JptSelection.Evolve, [.. three, first, second])
            .When(s => JptDecisions.Extend(s, new ExtendJptRegistration(SelectionId, At(2025, 7, 30))))
            .ThenRefusedAs("jpt.extensions-exhausted", RefusalKind.Rule);

        // The extension moved the deadline: a fourth applicant may register on 28 July, not after the 29th.
        Given<JptSelection>(JptSelection.Evolve, [.. three, first, second])
            .When(s => JptDecisions.Register(s, null, Applicant("A4") with { Now = At(2025, 7, 28) }))
            .ThenSingle<JptApplicantRegistered>();
        Given<JptSelection>(JptSelection.Evolve, [.. three, first, second])
            .When(s => JptDecisions.Register(s, null, Applicant("A4") with { Now = At(2025, 7, 30) }))
            .ThenRefusedAs("jpt.registration-closed", RefusalKind.Rule);
    }

    [Fact]
    public void Four_eligible_applicants_let_registration_close_and_need_no_extension_R35()
    {
        object[] four = [Announcement(), Pansel(), Registered("A1"), Registered("A2"), Registered("A3"), Registered("A4")];
        Given<JptSelection>(JptSelection.Evolve, four)
            .When(s => JptDecisions.Extend(s, new ExtendJptRegistration(SelectionId, At(2025, 7, 16))))
            .ThenRefusedAs("jpt.enough-applicants", RefusalKind.Rule);
        Given<JptSelection>(JptSelection.Evolve, four)
            .When(s => JptDecisions.Close(s, new CloseJptRegistration(SelectionId, At(2025, 7, 16))))
            .Then(new JptRegistrationClosed(SelectionId, 4, "JPT-2020", At(2025, 7, 16)));

        // An applicant screened out does not count towards the four.
        var ineligible = (JptApplicantRegistered)JptDecisions.Register(Evolve(Announcement()), null, Applicant("A5", yearsInPost: 1)).Events.Single();
        Given<JptSelection>(JptSelection.Evolve, Announcement(), Pansel(), Registered("A1"), Registered("A2"), Registered("A3"), ineligible)
            .When(s => JptDecisions.Close(s, new CloseJptRegistration(SelectionId, At(2025, 7, 16))))
            .ThenRefusedAs("jpt.too-few-applicants", RefusalKind.Rule);
    }

    [Theory]
    [InlineData(JptLevel.Pratama, 1968, 7, 11, true)]
    [InlineData(JptLevel.Pratama, 1968, 7, 10, false)]
    [InlineData(JptLevel.Madya, 1968, 7, 10, true)]
    [InlineData(JptLevel.Madya, 1966, 7, 11, true)]
    [InlineData(JptLevel.Madya, 1966, 7, 10, false)]
    public void An_applicant_aged_57_is_refused_for_pratama_56_and_accepted_for_madya_58_R36(JptLevel level, int year, int month, int day, bool eligible)
    {
        var post = level == JptLevel.Pratama ? Post.Administrator : Post.JptPratama;
        var registered = Given<JptSelection>(JptSelection.Evolve, Announcement(level))
            .When(s => JptDecisions.Register(s, null, Applicant("A1", D(year, month, day), post)))
            .ThenSingle<JptApplicantRegistered>();
        Assert.Equal(eligible, registered.Eligible);
        Assert.Equal(eligible, registered.Checks.Single(c => c.Code == "age").Met);
        Assert.DoesNotContain(registered.Checks, c => c.Detail.Contains(year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Post.Administrator, 1, Education.S2, 8, "years-in-post")]
    [InlineData(Post.Pengawas, 5, Education.S2, 8, "post")]
    [InlineData(Post.JfAhliMuda, 5, Education.S2, 8, "post")]
    [InlineData(Post.JfAhliMadya, 2, Education.D3, 8, "education")]
    [InlineData(Post.Administrator, 2, Education.S1, 4, "experience")]
    public void A_pratama_applicant_is_screened_against_the_table_R36(Post post, int years, Education education, int experience, string failing)
    {
        var registered = Given<JptSelection>(JptSelection.Evolve, Announcement())
            .When(s => JptDecisions.Register(s, null, Applicant("A1", post: post, yearsInPost: years, education: education, experience: experience)))
            .ThenSingle<JptApplicantRegistered>();
        Assert.False(registered.Eligible);
        Assert.Equal([failing], registered.Checks.Where(c => !c.Met).Select(c => c.Code));
    }

    [Fact]
    public void A_recorded_Presidential_approval_makes_an_exception_to_the_table_R36()
    {
        var registered = Given<JptSelection>(JptSelection.Evolve, Announcement())
            .When(s => JptDecisions.Register(s, null, Applicant("A1", D(1960, 1, 1), approval: "Keppres 12/2025")))
            .ThenSingle<JptApplicantRegistered>();
        Assert.True(registered.Eligible);
        Assert.Equal("Keppres 12/2025", registered.PresidentialApproval);
        Assert.False(registered.Checks.Single(c => c.Code == "age").Met);
    }

    [Fact]
    public void The_selections_minimum_rank_is_an_extra_criterion()
    {
        var registered = Given<JptSelection>(JptSelection.Evolve, Announcement(minimumRank: "IV/b"))
            .When(s => JptDecisions.Register(s, null, Applicant("A1", rank: "IV/a")))
            .ThenSingle<JptApplicantRegistered>();
        Assert.Equal(["minimum-rank"], registered.Checks.Where(c => !c.Met).Select(c => c.Code));
        Assert.False(registered.Eligible);
    }

    [Fact]
    public void One_application_per_person_and_none_while_blocked_R46()
    {
        Given<JptSelection>(JptSelection.Evolve, Announcement(), Registered("A1"))
            .When(s => JptDecisions.Register(s, null, Applicant("A1") with { ApplicantCode = "A9" }))
            .ThenRefusedAs("jpt.already-applied", RefusalKind.Conflict);

        var blocked = Record(Imported(), new ServiceBlocked(ServantId, "BKN-1", "audit", D(2025, 7, 1), Announced));
        Given<JptSelection>(JptSelection.Evolve, Announcement())
            .When(s => JptDecisions.Register(s, blocked, Applicant("A2")))
            .ThenRefusedAs("career.blocked", RefusalKind.Rule);
    }

    [Fact]
    public void A_member_who_declared_a_conflict_cannot_score_that_applicant_R38()
    {
        object[] closed = [.. ClosedWith("A1", "A2", "A3", "A4"), new ConflictOfInterestDeclared(SelectionId, "EXT-1", "A2", Registering)];
        var refusal = Given<JptSelection>(JptSelection.Evolve, closed)
            .When(s => JptDecisions.Score(s, new RecordJptScore(SelectionId, "EXT-1", "A2", "interview", 80m, true, Registering)))
            .ThenRefusedAs("jpt.member-conflicted", RefusalKind.Rule);
        Assert.Equal("memberCode", refusal.Field);

        // The same member scores the others, each score its own event with the declaration.
        Given<JptSelection>(JptSelection.Evolve, closed)
            .When(s => JptDecisions.Score(s, new RecordJptScore(SelectionId, "EXT-1", "A1", "interview", 80m, true, Registering)))
            .Then(new JptScoreRecorded(SelectionId, "EXT-1", "A1", "interview", 80m, true, "JPT-2020", Registering));
        Given<JptSelection>(JptSelection.Evolve, closed)
            .When(s => JptDecisions.Score(s, new RecordJptScore(SelectionId, "EXT-1", "A1", "interview", 80m, false, Registering)))
            .ThenRefusedAs("jpt.conflict-of-interest", RefusalKind.Rule);
        Given<JptSelection>(JptSelection.Evolve, closed)
            .When(s => JptDecisions.Score(s, new RecordJptScore(SelectionId, "NOBODY", "A1", "interview", 80m, true, Registering)))
            .ThenRefusedAs("jpt.unknown-member", RefusalKind.Invalid);
        Given<JptSelection>(JptSelection.Evolve, closed)
            .When(s => JptDecisions.Score(s, new RecordJptScore(SelectionId, "EXT-1", "A1", "interview", 101m, true, Registering)))
            .ThenRefusedAs("jpt.score-range", RefusalKind.Invalid);
    }

    [Fact]
    public void The_shortlist_is_exactly_the_3_best_by_weighted_total_with_conflicted_scores_left_out_R37_R38()
    {
        var members = Five.Where(m => m.Code != "EXT-1");
        object[] events =
        [
            .. ClosedWith("A1", "A2", "A3", "A4", "A5"),
            .. Scores("A1", 70, 70, 70),
            .. Scores("A2", 90, 60, 60),
            .. Scores("A3", 80, 80, 80),
            .. Scores("A4", 60, 60, 60),
            // EXT-1 scored A5 high, then declared a conflict: only the four others count.
            .. Scores("A5", 95, 95, 95, Five.Where(m => m.Code == "EXT-1")),
            new ConflictOfInterestDeclared(SelectionId, "EXT-1", "A5", Registering),
            .. Scores("A5", 70, 70, 70, members),
        ];
        var shortlist = Given<JptSelection>(JptSelection.Evolve, events)
            .When(s => JptDecisions.ProposeShortlist(s, new ProposeJptShortlist(SelectionId, At(2025, 8, 1))))
            .ThenSingle<JptShortlistProposed>();

        // A2 ties A1 at 70 and ranks before on the competence stage; A5 would rank 2nd (75) if EXT-1's score counted.
        Assert.Equal([(1, "A3", 80m), (2, "A2", 70m), (3, "A1", 70m)], shortlist.Shortlist.Select(e => (e.Rank, e.ApplicantCode, e.Total)));
        Assert.Equal(5, shortlist.Ranked);
    }

    [Fact]
    public void The_shortlist_waits_for_every_score_R38()
    {
        object[] events = [.. ClosedWith("A1", "A2", "A3", "A4"), .. Scores("A1", 70, 70, 70), .. Scores("A2", 70, 70, 70), .. Scores("A3", 70, 70, 70), .. Scores("A4", 70, 70, 70).Skip(1)];
        var refusal = Given<JptSelection>(JptSelection.Evolve, events)
            .When(s => JptDecisions.ProposeShortlist(s, new ProposeJptShortlist(SelectionId, At(2025, 8, 1))))
            .ThenRefusedAs("jpt.scores-incomplete", RefusalKind.Conflict);
        Assert.Contains("A4/competence: 4 of 5", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_fewer_than_3_remaining_all_remaining_are_listed_R37()
    {
        object[] events =
        [
            .. ClosedWith("A1", "A2", "A3", "A4"), .. Scores("A1", 70, 70, 70), .. Scores("A2", 75, 70, 70),
            new JptApplicantWithdrew(SelectionId, "A3", Registering), new JptApplicantWithdrew(SelectionId, "A4", Registering),
        ];
        var shortlist = Given<JptSelection>(JptSelection.Evolve, events)
            .When(s => JptDecisions.ProposeShortlist(s, new ProposeJptShortlist(SelectionId, At(2025, 8, 1))))
            .ThenSingle<JptShortlistProposed>();
        Assert.Equal(["A2", "A1"], shortlist.Shortlist.Select(e => e.ApplicantCode));
    }

    [Fact]
    public void The_PPK_picks_any_of_the_3_and_nobody_else_R37()
    {
        object[] events = [.. ClosedWith("A1", "A2", "A3", "A4"), .. Scores("A1", 70, 70, 70), .. Scores("A2", 90, 90, 90), .. Scores("A3", 80, 80, 80), .. Scores("A4", 60, 60, 60)];
        var shortlist = (JptShortlistProposed)JptDecisions.ProposeShortlist(Evolve(events), new ProposeJptShortlist(SelectionId, At(2025, 8, 1))).Events.Single();

        var appointed = Given<JptSelection>(JptSelection.Evolve, [.. events, shortlist])
            .When(s => JptDecisions.Appoint(s, new AppointFromShortlist(SelectionId, "A3", "track record in education policy", At(2025, 8, 5))))
            .ThenSingle<JptAppointed>();
        Assert.Equal(2, appointed.ShortlistRank);

        var refusal = Given<JptSelection>(JptSelection.Evolve, [.. events, shortlist])
            .When(s => JptDecisions.Appoint(s, new AppointFromShortlist(SelectionId, "A4", "preferred", At(2025, 8, 5))))
            .ThenRefusedAs("jpt.not-in-shortlist", RefusalKind.Rule);
        Assert.Equal("applicantCode", refusal.Field);

        Given<JptSelection>(JptSelection.Evolve, events)
            .When(s => JptDecisions.Appoint(s, new AppointFromShortlist(SelectionId, "A2", "best", At(2025, 8, 5))))
            .ThenRefusedAs("jpt.not-shortlisted", RefusalKind.Conflict);
    }

    [Fact]
    public void The_JPT_rule_set_holds_the_table_of_every_level()
    {
        var rules = CareerRuleSets.Jpt.Get("JPT-2020");
        Assert.Equal((5, 7, 10), (rules.Levels[JptLevel.Pratama].ExperienceYears, rules.Levels[JptLevel.Madya].ExperienceYears, rules.Levels[JptLevel.Utama].ExperienceYears));
        Assert.Equal((56, 58, 58), (rules.Levels[JptLevel.Pratama].MaximumAge, rules.Levels[JptLevel.Madya].MaximumAge, rules.Levels[JptLevel.Utama].MaximumAge));
        Assert.Equal((4, 2, 7, 3), (rules.Registration.MinimumApplicants, rules.Registration.MaximumExtensions, rules.Registration.ExtensionDays, rules.ShortlistSize));
        Assert.Equal(0.45m, rules.Pansel.InternalMaximumShare);
    }
}
