namespace Merit.Deciding;

/// <summary>What kind of refusal this is; the HTTP layer maps each kind to one status code.</summary>
public enum RefusalKind
{
    /// <summary>The command itself is malformed or names something that does not exist in its context (400).</summary>
    Invalid,
    /// <summary>The case the command addresses does not exist (404).</summary>
    NotFound,
    /// <summary>The case is not in a state that accepts this command, e.g. a result already recorded (409).</summary>
    Conflict,
    /// <summary>The round is not in the stage this command needs (R05) (409).</summary>
    WrongStage,
    /// <summary>The command is well formed but a rule of the regulation forbids it (422).</summary>
    Rule,
}

/// <summary>
/// A decision's refusal: a stable machine-readable code, a sentence for the committee, and where it applies
/// the field of the command at fault. Refusals are values, not exceptions: a refused command appends nothing.
/// The sentence is written in English and kept as a <see cref="Wording"/>, which the host says in the reader's
/// language (docs/adr/0050); <see cref="Message"/> is the English sentence.
/// </summary>
public sealed record Refusal
{
    public Refusal(RefusalKind Kind, string Code, RefusalText Message, string? Field = null)
    {
        this.Kind = Kind;
        this.Code = Code;
        Text = Message.ToWording();
        this.Field = Field;
    }

    public RefusalKind Kind { get; init; }

    public string Code { get; init; }

    /// <summary>The sentence for the committee, in any language the host has it in.</summary>
    public Wording Text { get; init; }

    /// <summary>The sentence in English.</summary>
    public string Message => Text.English;

    public string? Field { get; init; }

    /// <summary>For <see cref="RefusalKind.WrongStage"/>: the stage the command needs.</summary>
    public string? RequiredStage { get; init; }
}

/// <summary>The outcome of a pure decision: the events to append, or a refusal with its reason.</summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, Refusal? refusal)
    {
        Events = events;
        Refusal = refusal;
    }

    public IReadOnlyList<object> Events { get; }

    public Refusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    public static Decision Accept(params object[] events) => new(events, null);

    public static Decision Refuse(Refusal refusal) => new([], refusal);

    public static implicit operator Decision(Refusal refusal) => Refuse(refusal);

    public override string ToString() =>
        Refusal is null ? $"Accepted: {string.Join(", ", Events.Select(e => e.GetType().Name))}" : $"Refused: {Refusal.Code}";
}
