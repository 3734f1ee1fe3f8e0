using Npgsql;

namespace Merit.Infrastructure;

/// <summary>
/// A node that dies without closing its connections (power loss, a severed network) must not keep its projection
/// locks: PostgreSQL notices a vanished client only when a running query ends or the connection is probed. Each
/// connection asks the server to check for a vanished client every second while a query runs, and to probe an idle
/// one with TCP keepalives, so a standby can take the locks within its next leadership poll (docs/adr/0016). Needs PostgreSQL 14 or later; set
/// <c>Merit:Database:ClientCheckMilliseconds</c> to 0 to leave the connection string as it is.
/// </summary>
public static class DeadNodeDetection
{
    public static string Apply(string connectionString, IConfiguration configuration)
    {
        var milliseconds = configuration.GetValue("Merit:Database:ClientCheckMilliseconds", 1000);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (milliseconds <= 0 || builder.Options?.Contains("client_connection_check_interval", StringComparison.Ordinal) == true)
        {
            return connectionString;
        }

        var ours = $"-c client_connection_check_interval={milliseconds} -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? ours : $"{builder.Options} {ours}";
        return builder.ConnectionString;
    }
}
