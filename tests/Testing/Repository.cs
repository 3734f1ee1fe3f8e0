namespace Merit.Testing;

/// <summary>The checkout the tests run from, for the documents they hold the code to.</summary>
public static class Repository
{
    /// <summary>The folder holding Merit.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Merit.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No Merit.sln above {AppContext.BaseDirectory}.");
    }
}
