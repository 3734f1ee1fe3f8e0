using System.Text.Json;
using Marten;
using Merit.Projections;
using Merit.Recruitment;
using Merit.Testing;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// Stored JSON leaves out null members (docs/adr/0027): a write model and an event are stored without them, and a
/// document stored with them, as every document was before, loads the same.
/// </summary>
public sealed class StoredJsonTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 20, 8, 0, 0, TimeSpan.FromHours(7));
    private static readonly Guid RoundId = RoundDecisions.IdFor("CPNS-2024");

    private readonly StoreDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Null_members_are_not_stored_and_a_document_stored_with_them_loads_the_same()
    {
        // Given an applicant registered without a GPA: the application's later stages are still null
        var id = ApplicationDecisions.IdFor(RoundId, "R-1");
        var formation = FormationDecisions.IdFor(RoundId, "F-A");
        await using (var session = database.Store.LightweightSession())
        {
            session.Events.StartStream<Application>(id, new ApplicantRegistered(id, RoundId, formation, "F-A", "R-1", Guid.NewGuid(), Sex.F, EducationLevel.S1, null, T0));
            await session.SaveChangesAsync();
        }

        // Then neither the event nor the write model stores a null member
        using (var document = JsonDocument.Parse((string)(await database.ScalarAsync("select data::text from merit.mt_doc_application where id = @id", ("id", id)))!))
        {
            Assert.DoesNotContain(document.RootElement.EnumerateObject(), p => p.Value.ValueKind == JsonValueKind.Null);
            Assert.False(document.RootElement.TryGetProperty(nameof(Application.Skd), out _));
            Assert.True(document.RootElement.TryGetProperty(nameof(Application.RegistrationNumber), out _));
        }

        using (var data = JsonDocument.Parse((string)(await database.ScalarAsync("select data::text from merit.mt_events where stream_id = @id", ("id", id)))!))
        {
            Assert.False(data.RootElement.TryGetProperty(nameof(ApplicantRegistered.Gpa), out _));
        }

        // Given the same document as it was stored before: its null members written out
        var serializer = database.Store.Options.Serializer();
        var application = await LoadAsync(id);
        Assert.Null(application.Skd);
        var loaded = serializer.ToJson(application);
        await database.ScalarAsync(
            "update merit.mt_doc_application set data = data || '{\"Gpa\": null, \"Skd\": null, \"CutOff\": null, \"FinalRank\": null, \"PlacedInFormation\": null}'::jsonb where id = @id",
            ("id", id));

        // Then it loads to the same application
        Assert.Equal(loaded, serializer.ToJson(await LoadAsync(id)));
    }

    private async Task<Application> LoadAsync(Guid id)
    {
        await using var session = database.Store.QuerySession();
        return (await session.LoadAsync<Application>(id))!;
    }
}
