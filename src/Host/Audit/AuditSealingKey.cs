using System.Security.Cryptography;

namespace Merit.Audit;

/// <summary>
/// The ECDSA P-256 key that signs seals: <c>Merit:Audit:SealingKey</c> (PKCS#8, as PEM or base64 DER) in production,
/// where it belongs to whoever must be able to vouch for the history — not to the database operator; in development a
/// key generated on first run into a file outside the repository (<c>~/.merit/dev-audit-sealing-key.pem</c>, mode 600,
/// or <c>MERIT_DEV_AUDIT_KEY_FILE</c>). Loaded on first use, so a host that never seals needs no key.
/// </summary>
public sealed class AuditSealingKey : IDisposable
{
    private const string NistP256 = "1.2.840.10045.3.1.7";
    private readonly Lazy<ECDsa> key;

    public AuditSealingKey(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Merit:Audit:SealingKey"];
        key = new Lazy<ECDsa>(() => configured is { Length: > 0 } ? Load(configured) : LoadOrCreate(DevelopmentKeyFile()));
    }

    /// <summary>The signing key.</summary>
    public ECDsa Key => key.Value;

    /// <summary>The public key, SubjectPublicKeyInfo (DER) in base64, as seals carry it.</summary>
    public string PublicKey => Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());

    /// <summary>A new P-256 key in PKCS#8 PEM, for configuration or tests.</summary>
    public static string GeneratePem()
    {
        using var generated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return generated.ExportPkcs8PrivateKeyPem();
    }

    public void Dispose()
    {
        if (key.IsValueCreated)
        {
            key.Value.Dispose();
        }
    }

    private static ECDsa Load(string text)
    {
        var loaded = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                loaded.ImportFromPem(text);
            }
            else
            {
                loaded.ImportPkcs8PrivateKey(Convert.FromBase64String(text), out _);
            }

            if (!string.Equals(loaded.ExportParameters(false).Curve.Oid.Value, NistP256, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Merit:Audit:SealingKey must be an ECDSA P-256 key.");
            }

            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static ECDsa LoadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, GeneratePem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return Load(File.ReadAllText(file));
    }

    private static string DevelopmentKeyFile() =>
        Environment.GetEnvironmentVariable("MERIT_DEV_AUDIT_KEY_FILE")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".merit", "dev-audit-sealing-key.pem");
}
