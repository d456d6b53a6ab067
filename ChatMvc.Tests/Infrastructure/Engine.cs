using ChatMvc.Data;
using MySqlConnector;

namespace ChatMvc.Tests.Infrastructure;

public enum Engine
{
    Sqlite,
    MariaDb,
}

// A throwaway database on one engine: a fresh SQLite file, or a fresh schema on the test MariaDB.
public sealed class TestDatabase : IDisposable
{
    private readonly string? folder;
    private readonly string? mySqlDatabase;

    public TestDatabase(Engine engine)
    {
        Engine = engine;
        if (engine == Engine.Sqlite)
        {
            folder = Directory.CreateTempSubdirectory("chatmvc-test-").FullName;
            ConnectionString = $"Data Source={Path.Combine(folder, "chat.db")}";
            return;
        }

        mySqlDatabase = "chat_test_" + Guid.NewGuid().ToString("N")[..12];
        ExecuteOnServer($"CREATE DATABASE `{mySqlDatabase}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");

        ConnectionString = new MySqlConnectionStringBuilder(TestServers.MySql) { Database = mySqlDatabase }.ConnectionString;
    }

    public Engine Engine { get; }

    public string ConnectionString { get; }

    public DatabaseProvider Provider => Engine == Engine.Sqlite ? DatabaseProvider.Sqlite : DatabaseProvider.MySql;

    public ChatDb CreateDb(string? migrationsPath = null) =>
        new(Provider, ConnectionString, AppContext.BaseDirectory)
        {
            MigrationsPath = migrationsPath ?? Path.Combine(AppContext.BaseDirectory, "migrations"),
        };

    public void Dispose()
    {
        if (mySqlDatabase is not null)
        {
            ExecuteOnServer($"DROP DATABASE IF EXISTS `{mySqlDatabase}`");
        }

        if (folder is not null && Directory.Exists(folder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void ExecuteOnServer(string sql)
    {
        using var connection = new MySqlConnection(TestServers.MySql);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
