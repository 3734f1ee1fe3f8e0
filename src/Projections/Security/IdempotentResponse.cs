namespace Merit.Security;

/// <summary>The first answer to a command sent with an Idempotency-Key, replayed to every retry of it.</summary>
public sealed class IdempotentResponse
{
    public string Id { get; set; } = "";

    public int Status { get; set; }

    public string? ContentType { get; set; }

    public byte[] Body { get; set; } = [];

    public DateTimeOffset At { get; set; }
}
