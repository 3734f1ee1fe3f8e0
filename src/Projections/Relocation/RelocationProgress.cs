using JasperFx.Events;
using Marten.Events.Projections;
using Merit.Relocation;

namespace Merit.Projections.Relocation;

/// <summary>
/// The progress of one instansi in one wave, for analytics: the funnel from nomination to completion, the housing
/// units held against the quota and the people housed, the reasons for ineligibility (per gate), and the days from
/// nomination to arrival (a histogram). Counts only: no case, servant or personal datum. Built asynchronously;
/// <see cref="LastSequence"/> is the last event it reflects.
/// </summary>
public sealed class RelocationProgress
{
    /// <summary><see cref="Key"/> of the wave and instansi.</summary>
    public string Id { get; set; } = "";

    public Guid WaveId { get; set; }

    public string InstansiCode { get; set; } = "";

    public string? PolicyVersion { get; set; }

    /// <summary>Housing units allotted (the quota).</summary>
    public int HousingUnits { get; set; }

    /// <summary>Units held now by selected employees (released units no longer count).</summary>
    public int UnitsHeld { get; set; }

    /// <summary>Employees waiting for a unit now.</summary>
    public int WaitingNow { get; set; }

    public int Nominated { get; set; }

    public int Eligible { get; set; }

    public int Ineligible { get; set; }

    /// <summary>Selections, those from the wait list included.</summary>
    public int Selected { get; set; }

    public int SelectedFromWaitList { get; set; }

    public int WaitListed { get; set; }

    public int Notified { get; set; }

    public int Accepted { get; set; }

    public int Deferred { get; set; }

    public int Declined { get; set; }

    public int Withdrawn { get; set; }

    public int Relocated { get; set; }

    public int Completed { get; set; }

    /// <summary>Family members who came along; with <see cref="Relocated"/>, the people housed.</summary>
    public int FamilyMembersHoused { get; set; }

    /// <summary>Per gate, the nominations that failed it (one nomination may fail several).</summary>
    public Dictionary<string, int> IneligibilityReasons { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Days from nomination to arrival → arrivals.</summary>
    public Dictionary<int, int> DaysToArrival { get; set; } = [];

    public long LastSequence { get; set; }

    public static string Key(Guid waveId, string instansiCode) => waveId.ToString("N") + "/" + instansiCode;
}

/// <summary>Every event of a relocation case or housing quota, counted into its wave and instansi. Asynchronous.</summary>
public sealed class RelocationProgressProjection : MultiStreamProjection<RelocationProgress, string>
{
    public RelocationProgressProjection()
    {
        Identity<IRelocationEvent>(e => RelocationProgress.Key(e.WaveId, e.InstansiCode));

        // Declared by concrete type: with a catch-all Evolve the projection declared none, and the daemon read every
        // event of the store for it — a recruitment round's million events loaded and deserialized for a read model
        // that counts none of them (docs/adr/0018; commit d786743).
        this.IncludeEventsOf<IRelocationEvent>();
    }

    public override RelocationProgress? Evolve(RelocationProgress? snapshot, string id, IEvent e)
    {
        if (e.Data is not IRelocationEvent relocation)
        {
            return snapshot;
        }

        var p = snapshot ?? new RelocationProgress { Id = id, WaveId = relocation.WaveId, InstansiCode = relocation.InstansiCode };
        Count(p, e.Data);
        p.LastSequence = e.Sequence;
        return p;
    }

    private static void Count(RelocationProgress p, object data)
    {
        switch (data)
        {
            case HousingQuotaAllotted q:
                (p.HousingUnits, p.PolicyVersion) = (q.Units, q.PolicyVersion);
                break;
            case InstansiSelectionDecided d:
                (p.UnitsHeld, p.WaitingNow) = (p.UnitsHeld + d.Selected.Count, p.WaitingNow + d.WaitListed.Count);
                break;
            case HousingUnitReleased:
                p.UnitsHeld--;
                break;
            case WaitListLeft:
                p.WaitingNow--;
                break;
            case WaitListPromoted:
                (p.UnitsHeld, p.WaitingNow) = (p.UnitsHeld + 1, p.WaitingNow - 1);
                break;
            case RelocationNominated:
                p.Nominated++;
                break;
            case RelocationScreened s:
                CountScreening(p, s);
                break;
            case RelocationSelected s:
                p.Selected++;
                p.SelectedFromWaitList += s.FromWaitList ? 1 : 0;
                break;
            case RelocationWaitListed:
                p.WaitListed++;
                break;
            case RelocationNotified:
                p.Notified++;
                break;
            case RelocationAccepted:
                p.Accepted++;
                break;
            case RelocationDeferred:
                p.Deferred++;
                break;
            case RelocationDeclined:
                p.Declined++;
                break;
            case RelocationWithdrawn:
                p.Withdrawn++;
                break;
            case RelocationArrived a:
                p.Relocated++;
                p.FamilyMembersHoused += a.FamilyMembers;
                p.DaysToArrival[a.DaysFromNomination] = p.DaysToArrival.GetValueOrDefault(a.DaysFromNomination) + 1;
                break;
            case RelocationCompleted:
                p.Completed++;
                break;
        }
    }

    private static void CountScreening(RelocationProgress p, RelocationScreened s)
    {
        if (s.Eligible)
        {
            p.Eligible++;
            return;
        }

        p.Ineligible++;
        foreach (var failed in s.Checks.Where(c => !c.Met))
        {
            p.IneligibilityReasons[failed.Criterion] = p.IneligibilityReasons.GetValueOrDefault(failed.Criterion) + 1;
        }
    }
}
