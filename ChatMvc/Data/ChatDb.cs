using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace ChatMvc.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    // Folder of the migrations/ tree; defaults to the copy shipped next to the app.
    public string? MigrationsPath { get; set; }
}

// The one way the app reaches its database. Every connection is opened here, which is what lets tests
// prove that a code path ran no SQL at all.
public sealed class ChatDb
{
    private readonly string connectionString;
    private long openCount;

    static ChatDb()
    {
        // Columns are snake_case; C# properties PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public ChatDb(IOptions<DatabaseOptions> options, IConfiguration configuration, IHostEnvironment environment)
        : this(options.Value.Provider, configuration.GetConnectionString("Chat"), environment.ContentRootPath)
    {
        MigrationsPath = options.Value.MigrationsPath ?? Path.Combine(AppContext.BaseDirectory, "migrations");
    }

    public ChatDb(DatabaseProvider provider, string? connectionString, string contentRoot)
    {
        Dialect = SqlDialect.For(provider);
        this.connectionString = provider == DatabaseProvider.MySql
            ? MySqlConnectionString(connectionString)
            : SqliteConnectionString(connectionString, contentRoot);
        MigrationsPath = Path.Combine(AppContext.BaseDirectory, "migrations");
    }

    public SqlDialect Dialect { get; }

    // The database file of the embedded engine (null on MySQL), for backup and restore.
    public string? SqliteFile => Dialect.Provider == DatabaseProvider.Sqlite
        ? new SqliteConnectionStringBuilder(connectionString).DataSource
        : null;

    public string MigrationsPath { get; init; }

    public long OpenCount => Interlocked.Read(ref openCount);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref openCount);
        if (Dialect.Provider == DatabaseProvider.MySql)
        {
            // Taken from the pool without a round trip: the reset of a returned connection happens in the background.
            var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }

        var sqlite = new SqliteConnection(connectionString);
        await sqlite.OpenAsync(cancellationToken);
        return sqlite;
    }

    // A round trip to the server: the health check's proof that the database answers.
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
    }

    private static string MySqlConnectionString(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                "Database:Provider is MySql but ConnectionStrings:Chat is empty. Set ConnectionStrings__Chat, "
                + "for example \"Server=127.0.0.1;Database=chat;User ID=chat;Password=...\".");
        }

        var builder = new MySqlConnectionStringBuilder(configured)
        {
            Pooling = true,
            AllowUserVariables = true,
        };
        return builder.ConnectionString;
    }

    private static string SqliteConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured)
            ? "Data Source=App_Data/chat.db"
            : configured);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        }

        var folder = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        builder.ForeignKeys = true;
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ConnectionString;
    }
}
