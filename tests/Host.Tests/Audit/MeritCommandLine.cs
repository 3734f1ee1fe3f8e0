using System.Diagnostics;
using System.Security.Cryptography;

namespace Merit.Tests.Audit;

/// <summary>The Host's own binary (merit.dll, beside the tests) run as a separate process on a test's database.</summary>
public static class MeritCommandLine
{
    public static Task<(int ExitCode, string Output)> RunAsync(Merit.Testing.MeritApp app, params string[] args) =>
        RunAsync(app, new Dictionary<string, string>(), args);

    /// <param name="environment">Set after the defaults, so it may replace them (the app's personal-data keys, a time zone).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(Merit.Testing.MeritApp app, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        var (connectionString, sealingKeyPem) = (app.ConnectionString, app.SealingKeyPem);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "merit.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["LANG"] = "en_US.UTF-8"; // the tests read English words unless they set LANG themselves
        info.Environment.Remove("LC_ALL");
        info.Environment.Remove("LC_MESSAGES");
        info.Environment["ConnectionStrings__Merit"] = connectionString;
        info.Environment["Merit__Audit__SealingKey"] = sealingKeyPem;

        info.Environment["Merit__Audit__SealSettleSeconds"] = "0";
        info.Environment["Merit__Audit__AnchorDirectory"] = app.AnchorDirectory;
        info.Environment["Merit__PersonalData__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        info.Environment["Merit__PersonalData__PseudonymKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
