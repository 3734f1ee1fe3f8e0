using Merit.Recruitment;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>R43: 5% of the IKN-placement formations of CPNS-2024 for putra/putri Kalimantan; no such rule in CPNS-2023.</summary>
public class KalimantanAffirmationTests
{
    private static Formation F(string location, FormationCategory category, int allocation) =>
        new(Guid.NewGuid(), Guid.Empty, "F", "I", "Analis", location, category, allocation, EducationLevel.S1);

    [Fact]
    public void Five_percent_of_the_IKN_places_rounded_up_must_be_Kalimantan_places()
    {
        var rules = RuleSetCatalog.Get("CPNS-2024");
        var ikn = F("IKN", FormationCategory.Umum, 95);
        var elsewhere = F("Kota Samarinda", FormationCategory.Umum, 1000);

        Assert.Null(KalimantanAffirmation.Check(rules, [ikn, elsewhere, F("Ibu Kota Nusantara", FormationCategory.Kalimantan, 5)]));
        var refusal = KalimantanAffirmation.Check(rules, [ikn, elsewhere, F("Kawasan IKN", FormationCategory.Kalimantan, 4), F("IKN", FormationCategory.Umum, 2)]);
        Assert.Equal("R43.kalimantan-share", refusal!.Code);
        Assert.Contains("6 (5%)", refusal.Message, StringComparison.Ordinal);

        // Kalimantan places outside IKN do not count; rounds without IKN formations are not concerned.
        Assert.NotNull(KalimantanAffirmation.Check(rules, [ikn, F("Kota Balikpapan", FormationCategory.Kalimantan, 50)]));
        Assert.Null(KalimantanAffirmation.Check(rules, [elsewhere]));
        Assert.False(KalimantanAffirmation.IsIknPlacement("Kabupaten Piknik"));
    }

    [Fact]
    public void The_2023_rule_set_reserves_nothing()
    {
        Assert.Null(RuleSetCatalog.Get("CPNS-2023").IknKalimantanSharePercent);
        Assert.Null(KalimantanAffirmation.Check(RuleSetCatalog.Get("CPNS-2023"), [F("IKN", FormationCategory.Umum, 100)]));
    }
}
