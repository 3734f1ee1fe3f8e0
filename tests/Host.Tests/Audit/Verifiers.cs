using System.Diagnostics;

namespace Merit.Tests.Audit;

/// <summary>
/// The two offline verifiers of the audit pack (docs/audit-pack.md), each run as the auditor would: merit-verify
/// (tools/Merit.Verify, built beside the tests) and the standard-library Python one (tools/merit_verify.py).
/// </summary>
public static class Verifiers
{
    public static Task<(int ExitCode, string Output)> DotnetAsync(params string[] args) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "merit-verify.dll"), .. args]);

    public static Task<(int ExitCode, string Output)> PythonAsync(params string[] args) =>
        RunAsync("python3", [Path.Combine(RepositoryRoot(), "tools", "merit_verify.py"), .. args]);

    /// <summary>The verdict ("intact" or "broken") and each problem as "code subject", in the order printed.</summary>
    public static (string Verdict, List<string> Problems) Findings(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var verdict = lines.LastOrDefault(l => l.StartsWith("verdict ", StringComparison.Ordinal))?.Split(' ')[1] ?? "none";
        var problems = lines.Where(l => l.StartsWith("problem ", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ').Skip(1).Take(2))).ToList();
        return (verdict, problems);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Merit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Merit.sln not found above " + AppContext.BaseDirectory);
    }
}
