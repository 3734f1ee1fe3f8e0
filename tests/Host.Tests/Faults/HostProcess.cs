using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using Merit.PersonalData;
using Merit.Security;
using Npgsql;

namespace Merit.Tests.Faults;

/// <summary>The keys one deployment's nodes share: token signing, personal data, seals. Generated per test.</summary>
public sealed class HostSecrets
{
    private readonly PersonalDataKeys keys = PersonalDataKeyFile.Generate();
    private readonly byte[] signingKey = RandomNumberGenerator.GetBytes(32);
    private readonly string sealingKeyPem = Merit.Audit.AuditSealingKey.GeneratePem();

    /// <summary>The deployment's folder of anchored seals, shared by its nodes (docs/adr/0044).</summary>
    public string AnchorDirectory { get; } = Path.Combine(Path.GetTempPath(), "merit-anchor-" + Guid.NewGuid().ToString("N"));

    public Tokens Tokens => new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(signingKey), TimeProvider.System);

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Merit__Auth__SigningKey"] = Convert.ToBase64String(signingKey),
        ["Merit__PersonalData__MasterKey"] = Convert.ToBase64String(keys.MasterKey),
        ["Merit__PersonalData__PseudonymKey"] = Convert.ToBase64String(keys.PseudonymKey),
        ["Merit__Audit__SealingKey"] = sealingKeyPem,
        ["Merit__Audit__SealSettleSeconds"] = "0",
        ["Merit__Audit__AnchorDirectory"] = AnchorDirectory,
        // Fault scenarios time kills and takeovers; sealing on its own is switched on where it is the subject.
        ["Merit__Audit__AutoSeal__Enabled"] = "false",
    };
}

/// <summary>
/// The built Host (merit.dll) run with <c>dotnet</c> as a separate OS process on a port of its own, so a fault test
/// can kill it with SIGKILL — what a crash, an OOM kill or a pulled plug does — and start it again.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Queue<string> log = new();
    private readonly HostSecrets secrets;

    private HostProcess(string name, int port, Process process, HostSecrets secrets)
    {
        Name = name;
        Port = port;
        this.process = process;
        this.secrets = secrets;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The node's name; its connections to PostgreSQL carry the application name <c>merit-node-{Name}</c>.</summary>
    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string ApplicationName => $"merit-node-{Name}";

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the process wrote (at most <see cref="LogLines"/>), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return string.Join('\n', log);
            }
        }
    }

    /// <summary>Lines kept: a whole scenario's warnings and errors, with their stack traces.</summary>
    private const int LogLines = 5000;

    public static string HostDll { get; } = FindHostDll();

    /// <summary>Starts a node on <paramref name="connectionString"/> and waits until it reports ready.</summary>
    public static async Task<HostProcess> StartAsync(string name, string connectionString, HostSecrets secrets, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(HostDll)!,
        };
        foreach (var argument in new[] { HostDll, "run", "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("MERIT_CONNECTION");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ConnectionStrings__Merit"] = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"merit-node-{name}" }.ConnectionString;
        info.Environment["Merit__RateLimit__PermitsPerSecond"] = "0";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in secrets.Settings.Concat(settings ?? new Dictionary<string, string>()))
        {
            info.Environment[key] = value;
        }

        var host = new HostProcess(name, port, Process.Start(info)!, secrets);
        try
        {
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            await host.DisposeAsync(); // never leave a node that did not come up running behind the test
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL (Process.Kill on Unix): no shutdown hook runs, open transactions die with their connections.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
    }

    public HttpClient Client(string subject, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", secrets.Tokens.Issue(subject, roles, ["*"], TimeSpan.FromHours(1)));
        return client;
    }

    /// <summary>The readiness answer now: its status code, or null when the process does not answer at all.</summary>
    public async Task<HttpStatusCode?> ReadinessAsync(HttpClient probe)
    {
        try
        {
            using var response = await probe.GetAsync(new Uri(BaseAddress, "/health/ready"));
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (await ReadinessAsync(probe) != HttpStatusCode.OK)
        {
            if (process.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"Host {Name} did not become ready (exited: {process.HasExited}). Its last lines:\n{Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Kills the process if it still runs; the log stays readable. Safe to call more than once.</summary>
    public ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            Kill();
            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private bool disposed;

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Enqueue(line);
            while (log.Count > LogLines)
            {
                log.Dequeue();
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>merit.dll as the build of this test run left it (the test project references the Host, so it is built first).</summary>
    private static string FindHostDll()
    {
        var configuration = typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Merit.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Host", "bin", configuration, "net10.0", "merit.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the Host first", dll);
            }
        }

        throw new DirectoryNotFoundException("Merit.sln not found above " + AppContext.BaseDirectory);
    }
}
