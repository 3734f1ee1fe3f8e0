using Merit.Infrastructure;
using Npgsql;
using Xunit;

namespace Merit.Testing;

/// <summary>
/// A database of its own for one test class, on the checkout's private PostgreSQL (started by scripts/postgres
/// when needed, exactly as the Host does). Dropped afterwards, so tests run in parallel and leave nothing behind.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly string server = LocalPostgres.EnsureStarted();

    public string Name { get; } = "merit_test_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString => new NpgsqlConnectionStringBuilder(server) { Database = Name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;

    public async Task InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>One statement on a connection of its own, as an operator would run it; its first column's first value.</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
