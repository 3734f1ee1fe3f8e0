using Marten;
using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>Moving a round on, as the HTTP endpoint and <c>merit rounds stage</c> decide it alike.</summary>
public static class RoundLifecycle
{
    /// <summary>The stage after the round's current one under its rule set (PPPK has no Skb); null once closed.</summary>
    public static RoundStage? NextStage(Round round)
    {
        ArgumentNullException.ThrowIfNull(round);
        var stages = round.Rules().StageOrder.ToList();
        var at = stages.IndexOf(round.Stage);
        return at >= 0 && at + 1 < stages.Count ? stages[at + 1] : null;
    }

    /// <summary>
    /// The decision to move <paramref name="round"/> to <paramref name="to"/>, or to its next stage when none is named:
    /// the order of R05, and before leaving Announcement or Registration the Kalimantan share of R43.
    /// </summary>
    public static async Task<Decision> AdvanceAsync(IQuerySession session, Round round, RoundStage? to, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(round);
        if (round.Stage is RoundStage.Announcement or RoundStage.Registration)
        {
            var formations = await session.Query<Formation>().Where(f => f.RoundId == round.Id).ToListAsync(ct);
            if (KalimantanAffirmation.Check(round.Rules(), formations) is { } unreserved)
            {
                return unreserved;
            }
        }

        // Leaving the final appeal needs every final result an accepted appeal reopened re-announced (R07).
        if (round.Stage == RoundStage.FinalAppeal
            && AppealDecisions.Unreannounced(round, await session.Query<Formation>().Where(f => f.RoundId == round.Id).ToListAsync(ct)) is { } reopened)
        {
            return reopened;
        }

        return RoundDecisions.Advance(round, new AdvanceRoundStage(round.Id, to ?? NextStage(round) ?? RoundStage.Closed, now));
    }
}
