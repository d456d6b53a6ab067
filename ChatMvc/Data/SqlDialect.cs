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

    // Message search. MessageSearchTermsAsync turns the words typed into the engine's terms, bound as @term0, @term1,
    // ...; none when nothing can match. MessageSearchHits(terms, conditions) is a query of the searcher's (@userId)
    // matching messages as message_id and marked_body (the body with its matching words between \u0002 and \u0003,
    // or NULL where the engine cannot say), newest first, at most @limit, narrowed by conditions on messages m. Every
    // term must occur, and no character a person types acts as search syntax.
    public abstract Task<IReadOnlyList<string>> MessageSearchTermsAsync(DbConnection connection, IReadOnlyList<string> words);

    public abstract string MessageSearchHits(int terms, IEnumerable<string> conditions);

    // The message id as the search source orders it: newest first, and "older than the cursor", must be said in the
    // index's own terms for it to stop after a page instead of sorting every match.
    public abstract string MessageSearchId { get; }

    // A join that reads the left side first: a page of 20 ids must drive the lookups, not a scan of a small table.
    public abstract string OrderedJoin { get; }

    // True where sends, edits and deletes keep message_words, the word index the search reads.
    public abstract bool KeepsMessageWords { get; }

    // The values of a group joined by a separator (a single character that people's text cannot hold).
    public abstract string GroupConcat(string expression, char separator);

    // Put before a statement that uses GroupConcat, in the same command (no round trip of its own).
    public abstract string BeforeGroupConcat { get; }
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

    // MySQL 8's default GROUP_CONCAT limit (1,024 bytes; MariaDB's is 1 MB) would cut short the ids an @everyone in a
    // large group mentions. Set per statement because a pooled connection is reset to the defaults between uses.
    public override string BeforeGroupConcat => "SET SESSION group_concat_max_len = 1048576;\n";

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
        error is MySqlConnector.MySqlException { ErrorCode: MySqlConnector.MySqlErrorCode.DuplicateKeyEntry };

    // The rarest term's rows are read newest first (the primary key is (word, message_id)) and each is kept when the
    // searcher is in its conversation and the other terms have a row for the same message; the read stops at @limit.
    // STRAIGHT_JOIN keeps that order: the optimizer would otherwise start from the membership and sort every match.
    // The membership is one primary-key probe per row; by the user_id index it would read all their memberships.
    public override string MessageSearchHits(int terms, IEnumerable<string> conditions) => $"""
        SELECT w0.message_id, NULL AS marked_body
        FROM message_words w0
        STRAIGHT_JOIN conversation_members cm {UseIndex("PRIMARY")} ON cm.conversation_id = w0.conversation_id AND cm.user_id = @userId
        {string.Concat(Enumerable.Range(1, terms - 1).Select(i => $"STRAIGHT_JOIN message_words w{i} ON w{i}.word = @term{i} AND w{i}.message_id = w0.message_id\n"))}STRAIGHT_JOIN messages m ON m.id = w0.message_id
        WHERE {string.Join(" AND ", conditions.Prepend("w0.word = @term0"))}
        ORDER BY w0.message_id DESC
        LIMIT @limit
        """;

    public override string MessageSearchId => "w0.message_id";

    public override bool KeepsMessageWords => true;

    public override string OrderedJoin => "STRAIGHT_JOIN";

    public override async Task<IReadOnlyList<string>> MessageSearchTermsAsync(DbConnection connection, IReadOnlyList<string> words)
    {
        var terms = MessageWords.OfSearch(words);
        return terms.Count < 2 ? terms : await MessageWords.RarestFirstAsync(connection, terms);
    }
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

    public override string BeforeGroupConcat => string.Empty;

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

    // FTS5 walks its rowids backwards and stops at the LIMIT; ordered by m.id it would sort every match (1,000,000
    // messages: half a second for a common word, against a millisecond).
    public override string MessageSearchHits(int terms, IEnumerable<string> conditions) => $"""
        SELECT messages_fts.rowid AS message_id, highlight(messages_fts, 0, char(2), char(3)) AS marked_body
        FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
        JOIN conversation_members cm ON cm.conversation_id = m.conversation_id AND cm.user_id = @userId
        WHERE {string.Join(" AND ", conditions.Prepend("messages_fts MATCH @term0"))}
        ORDER BY messages_fts.rowid DESC
        LIMIT @limit
        """;

    public override string MessageSearchId => "messages_fts.rowid";

    // FTS5 triggers keep messages_fts in the same transaction as the write (migration 0006).
    public override bool KeepsMessageWords => false;

    public override string OrderedJoin => "JOIN";

    // One FTS5 query: a string in double quotes is a phrase of whatever the tokenizer finds in it; a quote inside is
    // doubled.
    public override Task<IReadOnlyList<string>> MessageSearchTermsAsync(DbConnection connection, IReadOnlyList<string> words) =>
        Task.FromResult<IReadOnlyList<string>>([string.Join(' ', words.Select(word => "\"" + word.Replace("\"", "\"\"") + "\""))]);
}

public sealed class DatabaseLock(Func<bool, Task> release) : IAsyncDisposable
{
    private bool completed;

    public void Complete() => completed = true;

    public async ValueTask DisposeAsync() => await release(completed);
}
