using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatMvc.Accounts;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;

namespace ChatMvc.Tests.Accounts;

// The Data Protection keys that sign cookies sit in the database; with DataProtection:Certificate:* set,
// they sit there encrypted, and every instance holding the certificate can still read them.
public sealed class KeysAtRestTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("chatmvc-keys-").FullName;
    private readonly List<AppProcess> apps = [];

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_two_instances_share_sign_ins()
    {
        var settings = Settings();
        settings["DataProtection:Certificate:Path"] = WriteCertificate("keys.pfx", "pfx-password");
        settings["DataProtection:Certificate:Password"] = "pfx-password";
        var first = Start(settings);
        await first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        var cookies = new CookieContainer();
        using var onFirst = new WebSession(first.CreateClient(cookies));
        Assert.True((await onFirst.RegisterAsync(AccountSteps.NewUser("Ann Keys"))).IsSignedIn());

        var keys = await StoredKeysAsync(settings);
        var second = Start(settings);
        await second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var onSecond = new WebSession(second.CreateClient(cookies));

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<value>", xml);
        });
        Assert.True((await onSecond.GetAsync("/")).IsSignedIn(), "The second instance decrypts the keys with the same certificate.");
        Assert.DoesNotContain(KeysAtRest.MissingCertificateWarning, first.Output);
    }

    [Fact]
    public async Task In_production_without_a_certificate_the_app_warns_once_at_startup_and_keys_are_stored_plain()
    {
        var settings = Settings();
        var app = Start(settings);
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var session = new WebSession(app.CreateClient());
        await session.RegisterAsync(AccountSteps.NewUser("Bo Keys"));

        var warnings = app.Output.Split('\n').Count(line => line.Contains(KeysAtRest.MissingCertificateWarning));
        Assert.Equal(1, warnings);
        Assert.All(await StoredKeysAsync(settings), xml => Assert.Contains("<value>", xml));
    }

    [Fact]
    public async Task A_certificate_file_that_cannot_be_read_stops_startup_with_a_clear_message()
    {
        var settings = Settings();
        settings["DataProtection:Certificate:Path"] = WriteCertificate("keys.pfx", "right-password");
        settings["DataProtection:Certificate:Password"] = "wrong-password";

        var run = await AppProcess.RunCommandAsync(settings, "migrate");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("DataProtection:Certificate:Path", run.Output);
    }

    public void Dispose()
    {
        foreach (var app in apps)
        {
            app.Dispose();
        }

        Directory.Delete(folder, recursive: true);
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Chat"] = $"Data Source={Path.Combine(folder, "chat.db")}",
        ["Email:PickupDirectory"] = Path.Combine(folder, "mail"),
    };

    private AppProcess Start(Dictionary<string, string> settings)
    {
        var app = new AppProcess(settings);
        apps.Add(app);
        return app;
    }

    private string WriteCertificate(string name, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ChatMvc keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static async Task<List<string>> StoredKeysAsync(Dictionary<string, string> settings)
    {
        var db = new ChatDb(DatabaseProvider.Sqlite, settings["ConnectionStrings:Chat"], AppContext.BaseDirectory);
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
    }
}
