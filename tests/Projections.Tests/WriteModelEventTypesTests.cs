using System.Reflection;
using System.Reflection.Emit;
using JasperFx.Events.Projections;
using Marten;
using Merit.Projections;
using Merit.Recruitment;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// The inline write models declare the events of their own streams (docs/adr/0018): none may miss an event its domain
/// <c>Evolve</c> reacts to, and none but the application's may be run for an application stream. The asynchronous
/// read models declare theirs too, so the daemon reads for each only what it counts.
/// </summary>
public sealed class WriteModelEventTypesTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Each inline projection whose document has a domain <c>Evolve(state, event)</c>, with that method.</summary>
    private static List<(IProjectionSource<IDocumentOperations, IQuerySession> Projection, MethodInfo Evolve)> WriteModels()
    {
        var options = new StoreOptions().Configure("Host=localhost;Database=unused", TimeProvider.System);
        var found = new List<(IProjectionSource<IDocumentOperations, IQuerySession>, MethodInfo)>();
        foreach (var projection in options.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Inline))
        {
            var document = projection.PublishedTypes().Single();
            if (document.GetMethod("Evolve", BindingFlags.Public | BindingFlags.Static, [document, typeof(object)]) is { } evolve)
            {
                found.Add((projection, evolve));
            }
        }

        return found;
    }

    private static bool AppliesTo(IProjectionSource<IDocumentOperations, IQuerySession> projection, Type eventType) =>
        (bool)projection.GetType().GetMethod("AppliesTo", [typeof(IEnumerable<Type>)])!.Invoke(projection, [new[] { eventType }])!;

    /// <summary>The event types a domain Evolve tests for: every <c>isinst</c> of its switch, read from its IL.</summary>
    private static List<Type> TypesTestedBy(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var types = new List<Type>();
        for (var i = 0; i < il.Length;)
        {
            var op = OpCodesByValue[il[i] == 0xFE ? unchecked((short)(0xFE00 | il[i + 1])) : il[i]];
            i += op.Size;
            if (op == OpCodes.Isinst)
            {
                types.Add(method.Module.ResolveType(BitConverter.ToInt32(il, i)));
            }

            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }

        return types.Where(t => t != method.ReturnType && t.Assembly == method.DeclaringType!.Assembly).Distinct().ToList();
    }

    [Fact]
    public void Every_event_a_domain_evolve_reacts_to_reaches_its_write_model()
    {
        var models = WriteModels();
        Assert.Equal(11, models.Count);
        foreach (var (projection, evolve) in models)
        {
            var handled = TypesTestedBy(evolve);
            Assert.NotEmpty(handled);
            var missed = handled.Where(t => !AppliesTo(projection, t)).Select(t => t.Name).ToList();
            Assert.True(missed.Count == 0, $"{projection.GetType().Name} would never see {string.Join(", ", missed)}");
        }
    }

    [Fact]
    public void Only_the_application_write_model_runs_for_an_application_stream()
    {
        var running = WriteModels()
            .Where(m => AppliesTo(m.Projection, typeof(SkdResultRecorded)) || AppliesTo(m.Projection, typeof(AppealFiled)))
            .Select(m => m.Projection.GetType().Name)
            .ToList();
        Assert.Equal(["ApplicationProjection"], running);
    }

    /// <summary>
    /// The daemon reads, for an asynchronous projection, only the event types it declares — and every event of the
    /// store when it declares none, or declares an interface (Marten's event loader filters by concrete type names only).
    /// A recruitment round's million events must be read by the round's read models alone, not by the career and
    /// relocation read models beside them.
    /// </summary>
    [Fact]
    public void Only_the_round_read_models_read_a_recruitment_round_s_events()
    {
        var options = new StoreOptions().Configure("Host=localhost;Database=unused", TimeProvider.System);
        var asynchronous = options.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Async).Cast<EventFilterable>().ToList();
        Assert.Equal(6, asynchronous.Count);
        var recruitment = new[] { typeof(ApplicantRegistered), typeof(SkdResultRecorded), typeof(SkdCutOffApplied) };
        var reading = asynchronous
            .Where(p => p.IncludedEventTypes.Count == 0 || p.IncludedEventTypes.Any(t => t.IsInterface || t.IsAbstract) || p.IncludedEventTypes.Intersect(recruitment).Any())
            .Select(p => ((IProjectionSource<IDocumentOperations, IQuerySession>)p).Name)
            .ToList();
        Assert.Equal([RoundReadModels.Name], reading);
    }
}
