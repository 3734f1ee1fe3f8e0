using Marten;
using Merit.Analytics;
using Merit.Projections.Relocation;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Merit.Relocation;

/// <summary>
/// The progress of one instansi in one wave, as analysts read it. Counts of people from 1 to the minimum cell size
/// minus one are null and named in <see cref="Suppressed"/> (docs/adr/0008); housing units are not people.
/// </summary>
public sealed record RelocationProgressView(
    Guid WaveId,
    string InstansiCode,
    string? PolicyVersion,
    int HousingUnits,
    int UnitsHeld,
    int FreeUnits,
    int? WaitingNow,
    int? Nominated,
    int? Eligible,
    int? Ineligible,
    int? Selected,
    int? SelectedFromWaitList,
    int? WaitListed,
    int? Notified,
    int? Accepted,
    int? Deferred,
    int? Declined,
    int? Withdrawn,
    int? Relocated,
    int? Completed,
    int? PeopleHoused,
    IReadOnlyDictionary<string, int?> IneligibilityReasons,
    int? MedianDaysToArrival,
    int? P90DaysToArrival,
    IReadOnlyList<string> Suppressed,
    long LastSequence);

public static class ProgressEndpoints
{
    /// <summary>
    /// Progress per wave and instansi (asynchronous read model): nominated, eligible, selected, relocated, declined…;
    /// housing units held against the quota and people housed; reasons for ineligibility per gate; days from
    /// nomination to arrival (median, 90th percentile). No personal data.
    /// </summary>
    [WolverineGet("/relocation-progress", OperationId = "GetRelocationProgress")]
    [Tags("Relocation")]
    [Authorize(Roles = Roles.Analyst + "," + Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IReadOnlyList<RelocationProgressView>> Progress(Guid? waveId, string? instansiCode, IQuerySession session, IOptions<AnalyticsOptions> options, CancellationToken ct)
    {
        var query = session.Query<RelocationProgress>().AsQueryable();
        if (waveId is { } wave)
        {
            query = query.Where(p => p.WaveId == wave);
        }

        if (instansiCode is not null)
        {
            query = query.Where(p => p.InstansiCode == instansiCode);
        }

        var cells = new SmallCells(options.Value.MinimumCellSize);
        return (await query.ToListAsync(ct)).OrderBy(p => p.WaveId).ThenBy(p => p.InstansiCode, StringComparer.Ordinal).Select(p => View(p, cells)).ToList();
    }

    private static RelocationProgressView View(RelocationProgress p, SmallCells cells)
    {
        var suppressed = new List<string>();
        int? Shown(string name, int count)
        {
            if (!cells.Hides(count))
            {
                return count;
            }

            suppressed.Add(name);
            return null;
        }

        // Eligible and ineligible add up to the nominations: one hidden alone would be the total minus the other.
        var hideScreening = cells.Hides(p.Eligible) || cells.Hides(p.Ineligible);
        var eligible = hideScreening ? null : (int?)p.Eligible;
        var ineligible = hideScreening ? null : (int?)p.Ineligible;
        if (hideScreening)
        {
            suppressed.AddRange(["eligible", "ineligible"]);
        }

        var reasons = p.IneligibilityReasons.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(r => r.Key, r => Shown("ineligibilityReasons." + r.Key, r.Value), StringComparer.Ordinal);
        var days = p.DaysToArrival.OrderBy(d => d.Key).SelectMany(d => Enumerable.Repeat(d.Key, d.Value)).ToList();
        var timesShown = days.Count > 0 && !cells.Hides(days.Count);
        if (days.Count > 0 && !timesShown)
        {
            suppressed.AddRange(["medianDaysToArrival", "p90DaysToArrival"]);
        }

        return new RelocationProgressView(
            p.WaveId, p.InstansiCode, p.PolicyVersion, p.HousingUnits, p.UnitsHeld, p.HousingUnits - p.UnitsHeld, Shown("waitingNow", p.WaitingNow),
            Shown("nominated", p.Nominated), eligible, ineligible, Shown("selected", p.Selected), Shown("selectedFromWaitList", p.SelectedFromWaitList),
            Shown("waitListed", p.WaitListed), Shown("notified", p.Notified), Shown("accepted", p.Accepted), Shown("deferred", p.Deferred), Shown("declined", p.Declined),
            Shown("withdrawn", p.Withdrawn), Shown("relocated", p.Relocated), Shown("completed", p.Completed), Shown("peopleHoused", p.Relocated + p.FamilyMembersHoused),
            reasons, timesShown ? Percentile(days, 50) : null, timesShown ? Percentile(days, 90) : null, suppressed, p.LastSequence);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static int Percentile(List<int> sorted, int percent) => sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
}
