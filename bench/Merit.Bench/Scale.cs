namespace Merit.Bench;

/// <summary>
/// The size of a benchmark run. Formations follow the 2024 CPNS ratio (2.85 million applicants over about 250,000
/// formations, brief section 7); the HTTP round is a separate small round sized so each concurrency level sends
/// <see cref="RequestsPerLevel"/> commands of each kind. Above small scale only the heaviest projections are rebuilt
/// one by one (<see cref="RebuildEveryProjection"/>): rebuilding all seventeen would take hours on 2 shared cores.
/// </summary>
public sealed record Scale(string Name, int Applicants, int Formations, int RequestsPerLevel, int AnalyticsQueries, bool RebuildEveryProjection)
{
    /// <summary>
    /// The most requests of each HTTP kind spent warming up, in rounds of 256 until the JIT is quiet. The smoke scale
    /// sends one round: it checks the rows, not their speed.
    /// </summary>
    public int MaxWarmUp { get; init; } = 4096;

    /// <summary>The smallest run that still goes through every phase and every row: the harness's own test (CI).</summary>
    public static readonly Scale Smoke = new("smoke", 2_000, 176, 64, 10, RebuildEveryProjection: true) { MaxWarmUp = 256 };

    public static readonly Scale Small = new("small", 10_000, 880, 128, 40, RebuildEveryProjection: true);
    public static readonly Scale Medium = new("medium", 250_000, 22_000, 640, 100, RebuildEveryProjection: false);
    public static readonly Scale National = new("national", 2_850_000, 250_000, 1_280, 100, RebuildEveryProjection: false);

    /// <summary>Rebuilt at every scale: the write model with a stream per applicant, the read model the exports come from, and the composite of the round's five asynchronous read models (docs/adr/0018).</summary>
    public static readonly string[] HeaviestProjections = ["Application", "FormationResults", Projections.RoundReadModels.Name];

    public static Scale Parse(string name) => name switch
    {
        "smoke" => Smoke,
        "small" => Small,
        "medium" => Medium,
        "national" => National,
        _ => throw new ArgumentException($"unknown scale '{name}': smoke, small, medium or national", nameof(name)),
    };
}
