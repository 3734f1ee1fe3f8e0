using System.Globalization;
using JasperFx;
using JasperFx.CommandLine;

namespace Merit.Audit;

/// <summary>
/// <c>merit projections verify</c>: rebuilds every projection from the events in a scratch schema and reports each
/// live read-model document that differs (docs/adr/0012). Exits non-zero on any difference, so a scheduled job can
/// alert on it. JasperFx owns the <c>projections</c> command, so Program routes <c>projections verify</c> here.
/// </summary>
[Description("Rebuild every projection from the events in a scratch schema and compare it with the live read models", Name = Name)]
public sealed class ProjectionsVerifyCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public const string Name = "projections-verify";

    /// <summary>Turns <c>projections verify ...</c> into this command; any other arguments are left to JasperFx.</summary>
    public static string[] Route(string[] args) =>
        args is ["projections", "verify", .. var rest] ? [Name, .. rest] : args;

    public override async Task<bool> Execute(NetCoreInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var host = input.BuildHost();
        var report = await host.Services.GetRequiredService<ProjectionVerifier>().VerifyAsync(CancellationToken.None);
        Console.WriteLine(report.Summary);
        foreach (var difference in report.Differences)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {difference.DocumentType} {difference.Id} ({difference.Projection}): {difference.Kind}; repair: {difference.Repair}"));
            foreach (var path in difference.Paths)
            {
                Console.WriteLine("    " + path);
            }
        }

        return report.Clean;
    }
}
