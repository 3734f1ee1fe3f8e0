using System.Reflection;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Merit.Tests.SlowClassesFirst", "Merit.Host.Tests")]

namespace Merit.Tests;

/// <summary>
/// Marks a test class (or a collection definition) that takes tens of seconds: its collection starts before the
/// others. The test runner keeps four collections running at a time (xunit.runner.json, docs/adr/0056); a slow one
/// started last would end the run alone (longest work first keeps the cores busy to the end).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunsLongAttribute : Attribute;

/// <summary>The collections holding a <see cref="RunsLongAttribute"/> class first, each group in the runner's own order.</summary>
public sealed class SlowClassesFirst : ITestCollectionOrderer
{
    private const string ClassCollection = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(collection => RunsLong(collection) ? 0 : 1).ThenBy(collection => collection.UniqueID).ToList();

    private static bool RunsLong(ITestCollection collection)
    {
        var type = collection.CollectionDefinition?.ToRuntimeType()
            ?? (collection.DisplayName.StartsWith(ClassCollection, StringComparison.Ordinal)
                ? typeof(SlowClassesFirst).Assembly.GetType(collection.DisplayName[ClassCollection.Length..])
                : null);
        return type?.IsDefined(typeof(RunsLongAttribute)) == true;
    }
}
