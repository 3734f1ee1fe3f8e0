using System.Text.Json;
using System.Text.Json.Serialization;
using Merit.Deciding;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// Given (events) / When (command) / Then (events or refusal), without a database: the state is rebuilt with the
/// aggregate's own Evolve function, the decision is the pure function under test.
/// </summary>
public static class Scenario
{
    public static GivenState<TState> Given<TState>(Func<TState?, object, TState?> evolve, params object[] events)
        where TState : class =>
        new(events.Aggregate((TState?)null, evolve));
}

public sealed class GivenState<TState>(TState? state)
    where TState : class
{
    public TState? State => state;

    public Outcome When(Func<TState?, Decision> decide) => new(decide(state));
}

public sealed class Outcome(Decision decision)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() }, WriteIndented = true };

    public Decision Decision => decision;

    /// <summary>The decision appended exactly these events (compared by content, type included).</summary>
    public void Then(params object[] expected)
    {
        Assert.Null(decision.Refusal);
        Assert.Equal(Describe(expected), Describe(decision.Events));
    }

    /// <summary>The decision was refused with this code and appended nothing.</summary>
    public Refusal ThenRefused(string code)
    {
        Assert.NotNull(decision.Refusal);
        Assert.Equal(code, decision.Refusal!.Code);
        Assert.Empty(decision.Events);
        return decision.Refusal;
    }

    private static string Describe(IEnumerable<object> events) =>
        string.Join("\n", events.Select(e => e.GetType().Name + " " + JsonSerializer.Serialize(e, e.GetType(), Json)));
}
