using Merit.Career;
using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>
/// Alih tugas ke Otorita IKN (R42): a regional-government civil servant appointed through an open, competitive
/// selection held by OIKN becomes OIKN staff; the career record's instansi changes to the selection's.
/// </summary>
public sealed record TransferredToOikn(Guid ServantId, string FromInstansi, string ToInstansi, Guid SelectionId, string SelectionCode, DateOnly Tmt, DateTimeOffset At) : ICareerEvent;

public sealed record TransferToOikn(Guid ServantId, Guid SelectionId, DateOnly Tmt, DateTimeOffset Now);

/// <summary>The OIKN transfer scheme, reusing the career slice's open selection (one vacancy per selection).</summary>
public static class OiknTransfer
{
    public static Decision Transfer(CareerRecord? record, JptSelection? selection, TransferToOikn command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (record is null)
        {
            return new Refusal(RefusalKind.NotFound, "oikn.no-career-record", "No career record for this civil servant.", "servantId");
        }

        if (selection is null)
        {
            return new Refusal(RefusalKind.NotFound, "oikn.no-selection", $"No open selection {command.SelectionId}.", "selectionId");
        }

        if (selection.Status != JptStatus.Appointed)
        {
            return new Refusal(RefusalKind.Rule, "oikn.selection-not-concluded", $"Open selection {selection.Code} has appointed nobody; a transfer to OIKN comes from an open, competitive selection (R42).", "selectionId");
        }

        if (selection.Applicants.FirstOrDefault(a => a.Code == selection.AppointedApplicant)?.ServantId != record.Id)
        {
            return new Refusal(RefusalKind.Rule, "oikn.not-appointed", $"This civil servant was not the one appointed by open selection {selection.Code} (R42).", "servantId");
        }

        if (record.InstansiCode == selection.InstansiCode)
        {
            return new Refusal(RefusalKind.Conflict, "oikn.already-transferred", $"The civil servant already serves instansi {selection.InstansiCode}.", "servantId");
        }

        return record.IsBlocked
            ? new Refusal(RefusalKind.Rule, "oikn.blocked", $"Services are blocked by BKN ({string.Join(", ", record.Blocks)}) until the block is lifted (R46).", "servantId")
            : Decision.Accept(new TransferredToOikn(record.Id, record.InstansiCode, selection.InstansiCode, selection.Id, selection.Code, command.Tmt, command.Now));
    }
}
