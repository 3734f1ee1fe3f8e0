using System.Diagnostics;
using System.Security.Cryptography;
using Marten;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Career;

/// <summary><c>merit import workforce FILE</c>: the Host's own binary, as a separate process, on this test's database.</summary>
public class WorkforceCommandTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly string masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly string pseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task The_command_imports_the_file_once_and_records_the_actor()
    {
        var file = Path.Combine(Path.GetTempPath(), $"merit-workforce-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(file, new GeneratedWorkforce(25, seed: 9).Csv());
            var (code, output) = await MeritAsync("import", "workforce", file, "--actor", "bkd-operator");
            Assert.True(code == 0, output);
            Assert.Contains("25 rows, 25 events appended, 0 unchanged", output, StringComparison.Ordinal);

            (code, output) = await MeritAsync("import", "workforce", file, "--actor", "bkd-operator");
            Assert.True(code == 0, output);
            Assert.Contains("25 rows, 0 events appended, 25 unchanged", output, StringComparison.Ordinal);

            await using (var session = app.Store.QuerySession())
            {
                var imported = await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == "workforce_record_imported").ToListAsync();
                Assert.Equal(25, imported.Count);
                Assert.All(imported, e => Assert.Equal("bkd-operator", e.UserName));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs merit.dll (beside the tests) with fixed keys, so two runs derive the same stream ids.</summary>
    private async Task<(int ExitCode, string Output)> MeritAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "merit.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["LANG"] = "en_US.UTF-8"; // the test reads the report's English words
        info.Environment.Remove("LC_ALL");
        info.Environment.Remove("LC_MESSAGES");
        info.Environment["ConnectionStrings__Merit"] = app.ConnectionString;
        info.Environment["Merit__PersonalData__MasterKey"] = masterKey;
        info.Environment["Merit__PersonalData__PseudonymKey"] = pseudonymKey;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
