namespace Merit.CommandLine;

/// <summary>A verb refuses what it was asked (a round that does not exist, a bad value): one line on standard error, exit 1.</summary>
public sealed class CommandRefusedException : Exception
{
    public CommandRefusedException(string message)
        : base(message)
    {
    }

    public CommandRefusedException()
    {
    }

    public CommandRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
