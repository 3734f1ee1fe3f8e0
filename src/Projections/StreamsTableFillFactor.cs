using System.Data.Common;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;
using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace Merit.Projections;

/// <summary>
/// Free space in each page of the event store's streams table, set by Marten's own migrations: every append moves its
/// stream's version, and with room on the page the new row version is written heap-only — no new entry in the
/// stream id's index, the old version pruned on its page — instead of bloating the table and its index
/// (docs/adr/0027). Marten declares no storage parameters for its event tables and Weasel compares only declared
/// ones, so this setting stands beside Marten's definition of the table without being undone. A storage feature of
/// its own, because Marten migrates registered features after its event tables (its extended schema objects before).
/// </summary>
internal sealed class StreamsTableFillFactor(StoreOptions options, int fillFactor) : FeatureSchemaBase("merit-streams-fill-factor", options.Advanced.Migrator)
{
    protected override IEnumerable<ISchemaObject> schemaObjects() => [new Setting(options, fillFactor)];

    private sealed class Setting(StoreOptions options, int fillFactor) : ISchemaObject
    {
        private string Table => $"{options.Events.DatabaseSchemaName}.mt_streams";

        public DbObjectName Identifier => new PostgresqlObjectName(options.Events.DatabaseSchemaName, "mt_streams_fillfactor", SchemaUtils.IdentifierUsage.General);

        public IEnumerable<DbObjectName> AllNames() => [Identifier];

        public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
            writer.WriteLine($"alter table {Table} set (fillfactor = {fillFactor});");

        public void WriteDropStatement(Migrator rules, TextWriter writer) =>
            writer.WriteLine($"alter table {Table} reset (fillfactor);");

        public void ConfigureQueryCommand(DbCommandBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            var schema = builder.AddParameter(options.Events.DatabaseSchemaName).ParameterName;
            builder.Append($"select coalesce(array_to_string(c.reloptions, ','), '') from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = :{schema} and c.relname = 'mt_streams';");
        }

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(reader);
            // No row: the table is yet to be created, by the same migration.
            var settings = await reader.ReadAsync(ct) ? reader.GetString(0).Split(',') : null;
            var difference = settings is null ? SchemaPatchDifference.Create
                : settings.Contains($"fillfactor={fillFactor}") ? SchemaPatchDifference.None
                : SchemaPatchDifference.Update;
            return new SchemaObjectDelta(this, difference);
        }
    }
}
