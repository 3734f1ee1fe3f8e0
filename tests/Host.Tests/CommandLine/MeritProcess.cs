using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Merit.Tests.CommandLine;

/// <summary>What a run of <c>merit</c> wrote: its exit code, standard output as bytes, standard error as text.</summary>
public sealed record MeritRun(int ExitCode, byte[] Stdout, string Stderr)
{
    public string Output => Encoding.UTF8.GetString(Stdout);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The Host's own binary (merit.dll, beside the tests) as a separate process, on one database, with fixed keys, in
/// an English locale (LANG=en_US.UTF-8) unless <paramref name="language"/> names another: the tests read its words.
/// </summary>
public sealed class MeritProcess(string connectionString, string language = "en_US.UTF-8")
{
    private readonly string masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string pseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public async Task<MeritRun> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "merit.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["LANG"] = language;
        info.Environment.Remove("LC_ALL");
        info.Environment.Remove("LC_MESSAGES");
        info.Environment["ConnectionStrings__Merit"] = connectionString;
        info.Environment["Merit__PersonalData__MasterKey"] = masterKey;
        info.Environment["Merit__PersonalData__PseudonymKey"] = pseudonymKey;
        info.Environment["Merit__Auth__SigningKey"] = signingKey;
        using var process = Process.Start(info)!;
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        await copy;
        return new MeritRun(process.ExitCode, stdout.ToArray(), await error);
    }
}
