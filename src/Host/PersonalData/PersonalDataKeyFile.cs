using System.Security.Cryptography;
using System.Text.Json;

namespace Merit.PersonalData;

/// <summary>
/// Where the personal-data keys come from: configuration (Merit:PersonalData:MasterKey and :PseudonymKey, base64)
/// in production; a development key file generated on first run, outside git, otherwise.
/// </summary>
public static class PersonalDataKeyFile
{
    public static PersonalDataKeys Resolve(IConfiguration configuration, string developmentKeyFile)
    {
        var master = configuration["Merit:PersonalData:MasterKey"];
        var pseudonym = configuration["Merit:PersonalData:PseudonymKey"];
        if (master is not null && pseudonym is not null)
        {
            return new PersonalDataKeys { MasterKey = Convert.FromBase64String(master), PseudonymKey = Convert.FromBase64String(pseudonym) };
        }

        if (File.Exists(developmentKeyFile))
        {
            var stored = JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(developmentKeyFile))!;
            return new PersonalDataKeys { MasterKey = Convert.FromBase64String(stored.MasterKey), PseudonymKey = Convert.FromBase64String(stored.PseudonymKey) };
        }

        var keys = Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(developmentKeyFile)!);
        File.WriteAllText(developmentKeyFile, JsonSerializer.Serialize(new StoredKeys(Convert.ToBase64String(keys.MasterKey), Convert.ToBase64String(keys.PseudonymKey))));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(developmentKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return keys;
    }

    public static PersonalDataKeys Generate() => new()
    {
        MasterKey = RandomNumberGenerator.GetBytes(32),
        PseudonymKey = RandomNumberGenerator.GetBytes(32),
    };

    private sealed record StoredKeys(string MasterKey, string PseudonymKey);
}
