using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace ChatMvc.Tests.Infrastructure;

// The real app over real servers: SQLite with the in-process cache, or MariaDB with Redis.
public abstract class ChatAppFactory : WebApplicationFactory<Program>
{
    public const string PublicUrl = "http://chat.example.test";

    private readonly string mailFolder = Directory.CreateTempSubdirectory("chatmvc-mail-").FullName;

    private readonly string storageFolder = Directory.CreateTempSubdirectory("chatmvc-files-").FullName;

    // Each host watches its web root (asp-append-version) and its settings files, and on Linux every watcher is an
    // inotify instance, of which a user may have 128. The hosts' web root providers outlive the hosts, so a full run
    // of a few hundred hosts ran out of them partway and every later host failed to render a page. Polling watchers
    // take no instance; a test run needs no change notifications.
    static ChatAppFactory() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

    protected ChatAppFactory(Engine engine)
    {
        Database = new TestDatabase(engine);
        RedisInstanceName = $"test:{Guid.NewGuid():N}:";
    }

    public TestDatabase Database { get; }

    public Engine Engine => Database.Engine;

    public string MailFolder => mailFolder;

    // The file store (Storage:Path) of this app alone.
    public string StorageFolder => storageFolder;

    public string RedisInstanceName { get; }

    // Overridable so a test can point the app at a Redis it controls.
    protected virtual string? RedisConfiguration => Engine == Engine.MariaDb ? TestServers.Redis : null;

    // Overridable so a test can reach the database through a proxy it controls.
    protected virtual string ConnectionString => Database.ConnectionString;

    public override string ToString() => Engine.ToString();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = Database.Provider.ToString(),
            ["ConnectionStrings:Chat"] = ConnectionString,
            ["Redis:Configuration"] = RedisConfiguration ?? string.Empty,
            ["Redis:InstanceName"] = RedisInstanceName,
            ["Email:PickupDirectory"] = mailFolder,
            ["Storage:Path"] = storageFolder,
            // Links in mail name this address; requests may name any host (tests of host names set their own).
            ["App:PublicUrl"] = PublicUrl,
            ["AllowedHosts"] = "*",
            // Tests that count SQL would count the missed-message mail's rounds too; its tests run rounds themselves.
            ["Notifications:EmailIntervalSeconds"] = "86400",
            // Suites register and sign in many people from one address; the limits have tests of their own.
            ["Accounts:RateLimits:PostsPerMinute"] = "100000",
        }));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Database.Dispose();
            if (Directory.Exists(mailFolder))
            {
                Directory.Delete(mailFolder, recursive: true);
            }

            if (Directory.Exists(storageFolder))
            {
                Directory.Delete(storageFolder, recursive: true);
            }
        }
    }
}

public sealed class SqliteApp() : ChatAppFactory(Engine.Sqlite);

public sealed class MariaDbApp() : ChatAppFactory(Engine.MariaDb);
