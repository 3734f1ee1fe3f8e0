using Merit.Career;
using Merit.Relocation;
using Xunit;
using static Merit.Tests.Relocation.RelocationFixtures;

namespace Merit.Tests.Relocation;

/// <summary>R42: a transfer to OIKN comes from an open selection that appointed this civil servant; the record's instansi changes.</summary>
public class OiknTransferTests
{
    private const string Oikn = "F0EB03E23CCCF6A0E040640A040252AD";

    private static JptSelection Selection(JptStatus status, int appointed) =>
        new(Guid.Parse("0a1b0000-0000-4000-8000-0000000000aa"), "OIKN-2024-01", Oikn, "Direktur", JptLevel.Pratama, new DateOnly(2024, 5, 1), null, "JPT-2020", status)
        {
            Applicants = [new JptApplicant("A-1", Servant(1), true, Now, false), new JptApplicant("A-2", Servant(2), true, Now, false)],
            AppointedApplicant = status == JptStatus.Appointed ? "A-" + appointed.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };

    private static TransferToOikn Command(int servant) => new(Servant(servant), Selection(JptStatus.Appointed, 1).Id, new DateOnly(2024, 10, 1), Now);

    [Fact]
    public void The_appointed_civil_servant_moves_to_OIKN_and_the_record_follows()
    {
        var record = Record(1);
        var decision = OiknTransfer.Transfer(record, Selection(JptStatus.Appointed, 1), Command(1));
        new Outcome(decision).Then(new TransferredToOikn(Servant(1), Instansi, Oikn, Selection(JptStatus.Appointed, 1).Id, "OIKN-2024-01", new DateOnly(2024, 10, 1), Now));
        Assert.Equal(Oikn, CareerRecord.Evolve(record, decision.Events[0])!.InstansiCode);
    }

    [Fact]
    public void Without_a_concluded_open_selection_appointing_this_person_there_is_no_transfer()
    {
        new Outcome(OiknTransfer.Transfer(Record(1), Selection(JptStatus.Shortlisted, 1), Command(1))).ThenRefused("oikn.selection-not-concluded");
        new Outcome(OiknTransfer.Transfer(Record(1), Selection(JptStatus.Appointed, 2), Command(1))).ThenRefused("oikn.not-appointed");
        new Outcome(OiknTransfer.Transfer(Record(1), null, Command(1))).ThenRefused("oikn.no-selection");
    }

    [Fact]
    public void A_blocked_record_is_not_transferred_R46_and_nobody_moves_twice()
    {
        var blocked = Record(1, new ServiceBlocked(Servant(1), "BLK-1", "data check", new DateOnly(2024, 7, 1), Now));
        new Outcome(OiknTransfer.Transfer(blocked, Selection(JptStatus.Appointed, 1), Command(1))).ThenRefused("oikn.blocked");
        new Outcome(OiknTransfer.Transfer(Record(1) with { InstansiCode = Oikn }, Selection(JptStatus.Appointed, 1), Command(1))).ThenRefused("oikn.already-transferred");
    }
}
