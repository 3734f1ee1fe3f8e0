using JasperFx;
using JasperFx.CommandLine;
using Merit.CommandLine;
using Merit.Localization;

namespace Merit.Audit;

/// <summary>
/// <c>merit projections verify</c>: rebuilds every projection from the events in a scratch schema and reports each
/// live read-model document that differs (docs/adr/0012). Exits non-zero on any difference, so a scheduled job can
/// alert on it. JasperFx owns the <c>projections</c> command, so Program routes <c>projections verify</c> here.
/// </summary>
[Description("Rebuild every projection from the events in a scratch schema and compare it with the live read models", Name = Name)]
public sealed class ProjectionsVerifyCommand : MeritCommand<NetCoreInput>
{
    public const string Name = "projections-verify";

    /// <summary>Turns <c>projections verify ...</c> into this command; any other arguments are left to JasperFx.</summary>
    public static string[] Route(string[] args) =>
        args is ["projections", "verify", .. var rest] ? [Name, .. rest] : args;

    protected override async Task<bool> RunAsync(NetCoreInput input, IServiceProvider services)
    {
        await StoreAsync(services);
        var report = await CommandConsole.WithProgressAsync(progress =>
        {
            // The rebuild reports no steps of its own: a spinner on a terminal, one line in a log.
            progress.Report(new WorkProgress(CommandConsole.Phase("rebuild"), 0, null));
            return services.GetRequiredService<ProjectionVerifier>().VerifyAsync(CancellationToken.None);
        });
        var texts = Texts.Current;
        Output.WriteLine(ProjectionVerifier.Summarize(report, texts));
        foreach (var difference in report.Differences)
        {
            Output.WriteLine(texts.Format("projections.cli.difference", difference.DocumentType, difference.Id, difference.Projection, difference.Kind, difference.Repair));
            foreach (var path in difference.Paths)
            {
                Output.WriteLine("    " + path);
            }
        }

        return report.Clean;
    }
}
