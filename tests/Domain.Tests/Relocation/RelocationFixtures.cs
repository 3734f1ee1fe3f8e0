using Merit.Career;
using Merit.Deciding;
using Merit.Relocation;
using Merit.Tests.Career;

namespace Merit.Tests.Relocation;

/// <summary>A wave of two instansi, eligible nominations by default, so each test changes only what it is about.</summary>
public static class RelocationFixtures
{
    public const string Instansi = CareerFixtures.Instansi;

    public const string Other = "B5EB03E23CCCF6A0E040640A040252AD";

    public const string Unit = "ESELON1-SETJEN";

    public static readonly DateOnly StartsOn = new(2024, 9, 2);

    public static readonly DateTimeOffset Now = new(2024, 8, 1, 9, 0, 0, TimeSpan.FromHours(8));

    public static RelocationPolicy Policy2024 => RelocationPolicies.Find("IKN-2024")!;

    public static OpenWave OpenCommand(string code = "IKN-T1", int units = 2, string policy = "IKN-2024") =>
        new("IKN", code, 1, StartsOn, policy, [new WaveInstansi(Instansi, [Unit, "ESELON1-DITJEN-A"], units), new WaveInstansi(Other, ["ESELON1-X"], 1)], Now);

    public static (RelocationWave Wave, HousingQuota Quota) Opened(string code = "IKN-T1", int units = 2, RelocationPolicy? policy = null)
    {
        policy ??= Policy2024;
        var decision = RelocationDecisions.OpenWave(null, policy, OpenCommand(code, units, policy.Version));
        var wave = decision.Events.Aggregate((RelocationWave?)null, RelocationWave.Evolve)!;
        var quota = decision.Events.OfType<HousingQuotaAllotted>().Where(q => q.InstansiCode == Instansi).Aggregate((HousingQuota?)null, (s, e) => HousingQuota.Evolve(s, e))!;
        return (wave, quota);
    }

    public static Guid Servant(int n) => StableId.For("test-servant", n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static CareerRecord Record(int n, params object[] more) =>
        new object[] { CareerFixtures.Imported() with { ServantId = Servant(n) } }.Concat(more).Aggregate((CareerRecord?)null, CareerRecord.Evolve)!;

    public static ScreeningFacts Facts(decimal? score = 75m, MaritalStatus marital = MaritalStatus.Unmarried, string unit = Unit, DateOnly? retirement = null) =>
        new(unit, score is null ? null : new AssessmentResult(score.Value, new DateOnly(2023, 5, 10)), marital, retirement ?? new DateOnly(2040, 6, 1));

    public static Decision Nominate(RelocationWave wave, int servant, ScreeningFacts? facts = null, DateOnly? on = null, CareerRecord? record = null, RelocationPolicy? policy = null) =>
        RelocationDecisions.Nominate(wave, policy ?? Policy2024, null, null, record ?? Record(servant), new Nominate(wave.Id, Servant(servant), on ?? new DateOnly(2024, 8, 5), facts ?? Facts(), Now));

    /// <summary>The case as it stands after the given decisions' events.</summary>
    public static RelocationCase Case(params Decision[] decisions) =>
        decisions.SelectMany(d => d.Events).Aggregate((RelocationCase?)null, RelocationCase.Evolve)!;

    /// <summary>Each case after a multi-stream decision: the events that belong to its stream applied.</summary>
    public static RelocationCase After(RelocationCase c, Decision decision) =>
        decision.Events.OfType<IRelocationCaseEvent>().Where(e => e.CaseId == c.Id).Aggregate(c, (s, e) => RelocationCase.Evolve(s, e)!);

    public static HousingQuota After(HousingQuota q, Decision decision) =>
        decision.Events.OfType<IHousingQuotaEvent>().Where(e => e.QuotaId == q.Id).Aggregate(q, (s, e) => HousingQuota.Evolve(s, e)!);
}
