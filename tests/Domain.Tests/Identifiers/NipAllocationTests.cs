using Merit.Deciding;
using Merit.Identifiers;
using Merit.Recruitment;
using Xunit;

namespace Merit.Tests.Identifiers;

public class NipAllocationTests
{
    private static readonly DateOnly Born = new(1986, 9, 26);
    private static readonly DateOnly Tmt = new(2015, 5, 1);

    private static NipIssued Issue(NipRegistry registry, DateOnly? born = null, DateOnly? tmt = null, Sex sex = Sex.M) =>
        Assert.IsType<NipIssued>(Nip.Allocate(registry, born ?? Born, tmt ?? Tmt, sex));

    private static Refusal Refuse(NipRegistry registry, DateOnly? tmt = null) =>
        Assert.IsType<NipRefused>(Nip.Allocate(registry, Born, tmt ?? Tmt, Sex.M)).Refusal;

    [Fact]
    public void The_first_NIP_with_its_first_15_digits_gets_sequence_001_R23()
    {
        var issued = Issue(NipRegistry.Empty);
        Assert.Equal("198609262015051001", issued.Nip);
        Assert.Equal(1, issued.Next.LastSequence("198609262015051"));
    }

    [Fact]
    public void A_second_NIP_with_the_same_first_15_digits_gets_sequence_002_R23()
    {
        var first = Issue(NipRegistry.Empty);
        Assert.Equal("198609262015051002", Issue(first.Next).Nip);
    }

    [Fact]
    public void Collisions_count_up_001_002_003_R23()
    {
        var first = Issue(NipRegistry.Empty);
        var second = Issue(first.Next);
        var third = Issue(second.Next);
        Assert.Equal(
            ["198609262015051001", "198609262015051002", "198609262015051003"],
            [first.Nip, second.Nip, third.Nip]);
    }

    [Fact]
    public void Another_birth_date_TMT_or_sex_starts_its_own_sequence_at_001_R23()
    {
        var registry = Issue(Issue(NipRegistry.Empty).Next).Next; // 001 and 002 issued for the example prefix
        Assert.Equal("198609272015051001", Issue(registry, born: new DateOnly(1986, 9, 27)).Nip);
        Assert.Equal("198609262015061001", Issue(registry, tmt: new DateOnly(2015, 6, 1)).Nip);
        Assert.Equal("198609262015052001", Issue(registry, sex: Sex.F).Nip);
    }

    [Fact]
    public void Allocation_is_pure_and_leaves_the_given_registry_as_it_was_R23()
    {
        var registry = NipRegistry.From(["198609262015051001"]);
        var issued = Issue(registry);
        Assert.Equal("198609262015051002", issued.Nip);
        Assert.Equal(1, registry.LastSequence("198609262015051"));
        Assert.Equal("198609262015051002", Issue(registry).Nip); // same state, same decision
    }

    [Fact]
    public void A_number_is_never_reused_even_when_a_gap_is_left_by_a_revoked_NIP_R23()
    {
        // 002 was issued and later revoked, and is no longer in the records: only the highest counts.
        var registry = NipRegistry.From(["198609262015051003", "198609262015051001"]);
        Assert.Equal("198609262015051004", Issue(registry).Nip);
    }

    [Fact]
    public void Imported_NIPs_in_any_order_keep_the_highest_sequence_R23()
    {
        var registry = NipRegistry.From(["198407062006042020", "198407062006042005"]);
        Assert.Equal(20, registry.LastSequence("198407062006042"));
        Assert.Equal(registry, NipRegistry.From(["198407062006042005", "198407062006042020"]));
        Assert.Equal(
            "198407062006042021",
            Issue(registry, born: new DateOnly(1984, 7, 6), tmt: new DateOnly(2006, 4, 1), sex: Sex.F).Nip);
    }

    [Fact]
    public void Sequence_999_is_the_last_then_allocation_is_refused_R23()
    {
        var last = Issue(NipRegistry.From(["198609262015051998"]));
        Assert.Equal("198609262015051999", last.Nip);

        var refusal = Refuse(last.Next);
        Assert.Equal(RefusalKind.Conflict, refusal.Kind);
        Assert.Equal("nip.sequence-exhausted", refusal.Code);
        Assert.EndsWith("(R23).", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("198609262015051", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_TMT_CPNS_that_is_not_the_1st_of_a_month_is_refused_R22()
    {
        var refusal = Refuse(NipRegistry.Empty, tmt: new DateOnly(2015, 5, 15));
        Assert.Equal(new Refusal(RefusalKind.Invalid, "nip.tmt-not-first-of-month", "TMT CPNS must be the 1st of a month (R22).", "tmtCpns"), refusal);
    }

    [Fact]
    public void The_registry_records_only_well_formed_NIPs_R22() =>
        Assert.Throws<FormatException>(() => NipRegistry.Empty.Record("198609262015051000"));
}
