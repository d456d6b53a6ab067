using System.Data.Common;
using Dapper;

namespace ChatMvc.Data;

public enum DatabaseProvider
{
    Sqlite,
    MySql,
}

// Every difference between the two engines lives here, so queries elsewhere stay plain SQL.
public abstract class SqlDialect
{
    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.MySql => new MySqlDialect(),
        _ => new SqliteDialect(),
    };

    public abstract DatabaseProvider Provider { get; }

    public abstract string MigrationsFolder { get; }

    // Appends what makes an INSERT answer the new row's id as a single scalar.
    public abstract string InsertReturningId(string insertSql);

    // An INSERT that silently does nothing when a unique key already holds the row.
    public abstract string InsertIgnore(string table, string columns, string values);

    // An INSERT that updates the listed columns when the unique key already exists.
    public abstract string Upsert(string table, string columns, string values, string keyColumns, IEnumerable<string> updateColumns);

    // A hint after a table name (and its alias) to read it through the named index.
    public abstract string UseIndex(string index);

    // Holds a named lock across processes until the returned handle is disposed.
    // On SQLite the lock is a write transaction: work done under it commits only after Complete().
    public abstract Task<DatabaseLock> AcquireLockAsync(DbConnection connection, string name, TimeSpan timeout);

    public abstract string CreateSchemaHistoryTable { get; }

    // True when the error is a unique-key violation, i.e. another request stored the same row first.
    public abstract bool IsUniqueViolation(DbException error);

    // Message search: the tables to read (messages as m), the condition matching @match, the body with its matching
    // words between \u0002 and \u0003 (null where the engine cannot say), and @match built from plain words, each
    // quoted so that no character a person types acts as search syntax. Every word must occur.
    public abstract string MessageSearchSource { get; }

    public abstract string MessageSearchCondition { get; }

    public abstract string MessageSearchMarkedBody { get; }

    public abstract string MessageSearchMatch(IEnumerable<string> words);

    // The message id as the search source orders it: newest first, and "older than the cursor", must be said in the
    // index's own terms for it to stop after a page instead of sorting every match.
    public abstract string MessageSearchId { get; }

    // The values of a group joined by a separator (a single character that people's text cannot hold).
    public abstract string GroupConcat(string expression, char separator);
}

public sealed class MySqlDialect : SqlDialect
{
    public override DatabaseProvider Provider => DatabaseProvider.MySql;

    public override string MigrationsFolder => "mysql";

    public override string InsertReturningId(string insertSql) => insertSql.TrimEnd(' ', ';', '\n') + "; SELECT LAST_INSERT_ID();";

    public override string InsertIgnore(string table, string columns, string values) =>
        $"INSERT IGNORE INTO {table} ({columns}) VALUES ({values})";

    public override string Upsert(string table, string columns, string values, string keyColumns, IEnumerable<string> updateColumns) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) ON DUPLICATE KEY UPDATE "
        + string.Join(", ", updateColumns.Select(c => $"{c} = VALUES({c})"));

    // MariaDB scans a descending keyset page by the equality alone (ref access) unless told to seek on the index.
    public override string UseIndex(string index) => $"FORCE INDEX ({index})";

    public override string GroupConcat(string expression, char separator) => $"GROUP_CONCAT({expression} SEPARATOR '{separator}')";

    public override async Task<DatabaseLock> AcquireLockAsync(DbConnection connection, string name, TimeSpan timeout)
    {
        var got = await connection.ExecuteScalarAsync<long?>(
            "SELECT GET_LOCK(@name, @seconds)", new { name, seconds = (int)timeout.TotalSeconds });
        if (got != 1)
        {
            throw new TimeoutException($"Could not take the database lock '{name}' within {timeout.TotalSeconds} s.");
        }

        return new DatabaseLock(_ => connection.ExecuteAsync("SELECT RELEASE_LOCK(@name)", new { name }));
    }

    public override string CreateSchemaHistoryTable => """
        CREATE TABLE IF NOT EXISTS schema_history (
            version INT NOT NULL PRIMARY KEY,
            name VARCHAR(200) NOT NULL,
            checksum CHAR(64) NOT NULL,
            applied_at BIGINT NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """;

    public override bool IsUniqueViolation(DbException error) =>
        error is MySql.Data.MySqlClient.MySqlException { Number: 1062 };

    public override string MessageSearchSource => "messages m";

    public override string MessageSearchCondition => "MATCH (m.body) AGAINST (@match IN BOOLEAN MODE)";

    public override string MessageSearchMarkedBody => "NULL";

    public override string MessageSearchId => "m.id";

    // Boolean mode has no escape character: a word keeps only its runs of letters and digits, as a required phrase
    // (+"NEAR plum" for NEAR(plum)), which is how InnoDB tokenizes the text it indexes. Runs shorter than InnoDB's
    // default innodb_ft_min_token_size are left out: they are not in the index, and requiring one finds nothing.
    public override string MessageSearchMatch(IEnumerable<string> words) =>
        string.Join(' ', words
            .Select(word => string.Join(' ', Chat.SearchQuery.WordRuns(word).Where(r => r.Length >= InnoDbMinWordLength).Select(r => word.Substring(r.Start, r.Length))))
            .Where(phrase => phrase.Length > 0)
            .Select(phrase => "+\"" + phrase + "\""));

    private const int InnoDbMinWordLength = 3;
}

public sealed class SqliteDialect : SqlDialect
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string MigrationsFolder => "sqlite";

    public override string InsertReturningId(string insertSql) => insertSql.TrimEnd(' ', ';', '\n') + " RETURNING id;";

    public override string InsertIgnore(string table, string columns, string values) =>
        $"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({values})";

    public override string Upsert(string table, string columns, string values, string keyColumns, IEnumerable<string> updateColumns) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({keyColumns}) DO UPDATE SET "
        + string.Join(", ", updateColumns.Select(c => $"{c} = excluded.{c}"));

    // SQLite's planner already seeks on (conversation_id, id) for keyset pages.
    public override string UseIndex(string index) => string.Empty;

    public override string GroupConcat(string expression, char separator) => $"group_concat({expression}, '{separator}')";

    // SQLite has one writer at a time: BEGIN IMMEDIATE takes the database's write lock, waiting up to the
    // busy timeout. It is issued as plain SQL so later commands on the connection need no transaction object.
    public override async Task<DatabaseLock> AcquireLockAsync(DbConnection connection, string name, TimeSpan timeout)
    {
        await connection.ExecuteAsync("BEGIN IMMEDIATE");
        return new DatabaseLock(completed => connection.ExecuteAsync(completed ? "COMMIT" : "ROLLBACK"));
    }

    public override string CreateSchemaHistoryTable => """
        CREATE TABLE IF NOT EXISTS schema_history (
            version INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )
        """;

    // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
    public override bool IsUniqueViolation(DbException error) =>
        error is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };

    public override string MessageSearchSource => "messages_fts JOIN messages m ON m.id = messages_fts.rowid";

    public override string MessageSearchCondition => "messages_fts MATCH @match";

    public override string MessageSearchMarkedBody => "highlight(messages_fts, 0, char(2), char(3))";

    // FTS5 walks its rowids backwards and stops at the LIMIT; ordered by m.id it would sort every match (1,000,000
    // messages: half a second for a common word, against a millisecond).
    public override string MessageSearchId => "messages_fts.rowid";

    // An FTS5 string in double quotes is a phrase of whatever the tokenizer finds in it; a quote inside is doubled.
    public override string MessageSearchMatch(IEnumerable<string> words) =>
        string.Join(' ', words.Select(word => "\"" + word.Replace("\"", "\"\"") + "\""));
}

public sealed class DatabaseLock(Func<bool, Task> release) : IAsyncDisposable
{
    private bool completed;

    public void Complete() => completed = true;

    public async ValueTask DisposeAsync() => await release(completed);
}
