using System.Diagnostics;
using Xunit;

namespace Merit.Tests.CommandLine;

/// <summary>
/// The Host runs the Wolverine code committed under src/Host/Internal/Generated, compiled in, not generated at start
/// (docs/adr/0048). Here the Host's own <c>merit codegen write</c> generates it again from the endpoints and policies
/// as they are, into a folder aside, and it must match the committed files one for one.
/// </summary>
public sealed class GeneratedCodeTests
{
    private const string Regenerate = "scripts/codegen";

    [Fact]
    public async Task The_committed_generated_code_is_what_the_endpoints_generate_now()
    {
        var committed = Path.Combine(RepositoryRoot(), "src", "Host", "Internal", "Generated");
        var fresh = Directory.CreateTempSubdirectory("merit-codegen-");
        try
        {
            await WriteGeneratedCodeAsync(fresh.FullName);
            var expected = Files(fresh.FullName);
            var actual = Directory.Exists(committed) ? Files(committed) : [];
            Assert.NotEmpty(expected);

            var missing = expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ToList();
            var extra = actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToList();
            var changed = expected.Keys.Intersect(actual.Keys).Where(f => expected[f] != actual[f]).Order(StringComparer.Ordinal).ToList();
            Assert.True(
                missing.Count + extra.Count + changed.Count == 0,
                $"The generated code in src/Host/Internal/Generated is stale: run {Regenerate} and commit what it writes.\n"
                + List("missing (a new endpoint or handler)", missing)
                + List("no longer generated", extra)
                + List("different", changed));
        }
        finally
        {
            fresh.Delete(recursive: true);
        }
    }

    private static string List(string what, List<string> files) =>
        files.Count == 0 ? "" : $"{what}: {files.Count} — {string.Join(", ", files.Take(10))}{(files.Count > 10 ? ", …" : "")}\n";

    /// <summary>The Host beside the tests, as the regeneration runs it, writing into <paramref name="directory"/>.</summary>
    private static async Task WriteGeneratedCodeAsync(string directory)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "merit.dll"), "codegen", "write" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["Merit__GeneratedCodePath"] = directory;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"merit codegen write: exit {process.ExitCode}\n{await output}\n{await error}");
    }

    /// <summary>Every generated file by its path under the folder, with its text.</summary>
    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Merit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Merit.sln not found above " + AppContext.BaseDirectory);
    }
}
