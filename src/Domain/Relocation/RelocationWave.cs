using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>Every relocation event names its wave and instansi, so progress can be counted per wave and instansi.</summary>
public interface IRelocationEvent
{
    Guid WaveId { get; }

    string InstansiCode { get; }
}

/// <summary>One instansi of a wave: its priority eselon-I units and the housing units allotted to it.</summary>
public sealed record WaveInstansi(string InstansiCode, IReadOnlyList<string> Units, int HousingUnits);

/// <summary>Tahap pemindahan: a wave (tranche) of a relocation programme, with its instansi, units, housing and screening policy.</summary>
public sealed record RelocationWaveOpened(
    Guid WaveId, string Programme, string Code, int Number, DateOnly StartsOn, string PolicyVersion, IReadOnlyList<WaveInstansi> Instansi, DateTimeOffset At);

/// <summary>A wave of a relocation programme as decisions read it. Rebuilt from its one event.</summary>
public sealed record RelocationWave(Guid Id, string Programme, string Code, int Number, DateOnly StartsOn, string PolicyVersion, IReadOnlyList<WaveInstansi> Instansi)
{
    public static Guid IdFor(string code) => StableId.For("relocation-wave", code);

    public WaveInstansi? Find(string instansiCode) => Instansi.FirstOrDefault(i => i.InstansiCode == instansiCode);

    public static RelocationWave? Evolve(RelocationWave? state, object @event) => @event switch
    {
        RelocationWaveOpened e => new RelocationWave(e.WaveId, e.Programme, e.Code, e.Number, e.StartsOn, e.PolicyVersion, e.Instansi),
        _ => state,
    };
}

/// <summary>Open a wave of a programme under a policy version, with its instansi, units and housing units.</summary>
public sealed record OpenWave(string Programme, string Code, int Number, DateOnly StartsOn, string PolicyVersion, IReadOnlyList<WaveInstansi> Instansi, DateTimeOffset Now);

/// <summary>Opening a wave of relocation to IKN (brief section 4, R41): pure functions of the state they read and the command.</summary>
public static partial class RelocationDecisions
{
    /// <summary>Opens a wave under <paramref name="policy"/>, the document of the version the command names (null if there is none).</summary>
    public static Decision OpenWave(RelocationWave? existing, RelocationPolicy? policy, OpenWave command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (existing is not null)
        {
            return new Refusal(RefusalKind.Conflict, "relocation.wave-exists", $"Wave {command.Code} is already open.", "code");
        }

        if (policy is null || policy.Version != command.PolicyVersion)
        {
            return new Refusal(RefusalKind.Invalid, "relocation.unknown-policy", $"No relocation policy '{command.PolicyVersion}'; shipped: {string.Join(", ", RelocationPolicies.All.Select(p => p.Version))}.", "policyVersion");
        }

        if (command.Instansi.Count == 0 || command.Instansi.GroupBy(i => i.InstansiCode).Any(g => g.Count() > 1))
        {
            return new Refusal(RefusalKind.Invalid, "relocation.instansi-list", "A wave lists at least one instansi, each once.", "instansi");
        }

        var waveId = RelocationWave.IdFor(command.Code);
        var events = new List<object> { new RelocationWaveOpened(waveId, command.Programme, command.Code, command.Number, command.StartsOn, command.PolicyVersion, command.Instansi, command.Now) };
        events.AddRange(command.Instansi.Select(i => new HousingQuotaAllotted(HousingQuota.IdFor(waveId, i.InstansiCode), waveId, i.InstansiCode, i.HousingUnits, command.PolicyVersion, command.Now)));
        return Decision.Accept([.. events]);
    }
}
