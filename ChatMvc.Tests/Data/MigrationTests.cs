using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatMvc.Tests.Data;

public abstract class MigrationTests(Engine engine) : IDisposable
{
    private readonly TestDatabase database = new(engine);
    private readonly List<string> folders = [];

    private Migrator MigratorFor(ChatDb db) => new(db, NullLogger<Migrator>.Instance);

    private string CopyOfMigrations()
    {
        var folder = Directory.CreateTempSubdirectory("chatmvc-migrations-").FullName;
        folders.Add(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "migrations"), "*.sql", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "migrations"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return folder;
    }

    private string EngineFolder(string root) => Path.Combine(root, database.Provider == DatabaseProvider.MySql ? "mysql" : "sqlite");

    private async Task<List<(long Version, string Name)>> HistoryAsync(ChatDb db)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<(long, string)>("SELECT version, name FROM schema_history ORDER BY version")).ToList();
    }

    [Fact]
    public async Task A_fresh_database_gets_every_migration_and_the_whole_schema()
    {
        var db = database.CreateDb();

        var applied = await MigratorFor(db).MigrateAsync();

        Assert.Contains("0001_initial_schema.sql", applied);
        await using var connection = await db.OpenAsync();
        foreach (var table in new[] { "users", "conversations", "conversation_members", "messages", "images", "image_variants", "invites", "data_protection_keys", "message_reactions" })
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }
    }

    [Fact]
    public async Task Running_the_migrations_again_changes_nothing()
    {
        var db = database.CreateDb();
        await MigratorFor(db).MigrateAsync();
        var before = await HistoryAsync(db);

        var applied = await MigratorFor(db).MigrateAsync();

        Assert.Empty(applied);
        Assert.Equal(before, await HistoryAsync(db));
    }

    [Fact]
    public async Task A_new_file_is_applied_after_the_ones_already_there()
    {
        var folder = CopyOfMigrations();
        var db = database.CreateDb(folder);
        await MigratorFor(db).MigrateAsync();
        File.WriteAllText(Path.Combine(EngineFolder(folder), "9001_add_probe.sql"), "CREATE TABLE probe (id INTEGER NOT NULL PRIMARY KEY);\n");

        var applied = await MigratorFor(db).MigrateAsync();

        Assert.Equal(["9001_add_probe.sql"], applied);
        Assert.Contains((9001L, "9001_add_probe.sql"), await HistoryAsync(db));
    }

    [Fact]
    public async Task An_applied_file_that_changed_stops_the_migration_naming_the_file()
    {
        var folder = CopyOfMigrations();
        var db = database.CreateDb(folder);
        await MigratorFor(db).MigrateAsync();
        File.AppendAllText(Path.Combine(EngineFolder(folder), "0001_initial_schema.sql"), "\n-- an edit after release\n");

        var error = await Assert.ThrowsAsync<MigrationException>(() => MigratorFor(db).MigrateAsync());

        Assert.Contains("0001_initial_schema.sql", error.Message);
    }

    [Fact]
    public async Task Two_migrators_starting_together_apply_each_file_once()
    {
        var first = database.CreateDb();
        var second = database.CreateDb();

        var results = await Task.WhenAll(
            Task.Run(() => MigratorFor(first).MigrateAsync()),
            Task.Run(() => MigratorFor(second).MigrateAsync()));

        Assert.Equal(1, results.Count(r => r.Contains("0001_initial_schema.sql")));
        var history = await HistoryAsync(first);
        Assert.Equal(history.Select(h => h.Version).Distinct().Count(), history.Count);
        Assert.Single(history, h => h.Name == "0001_initial_schema.sql");
    }

    public void Dispose()
    {
        database.Dispose();
        foreach (var folder in folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    // 0006 built the full-text index (what SQLite searches); 0014 the word index of our own (what MySQL searches).
    [Fact]
    public async Task The_search_migrations_index_the_messages_already_stored_but_not_deleted_or_system_text()
    {
        var folder = CopyOfMigrations();
        var search = new[] { "0006_*.sql", "0014_*.sql" }.Select(pattern => Directory.GetFiles(EngineFolder(folder), pattern).Single()).ToList();
        foreach (var file in search)
        {
            File.Move(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var db = database.CreateDb(folder);
        await MigratorFor(db).MigrateAsync();
        long userId;
        await using (var connection = await db.OpenAsync())
        {
            userId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("""
                INSERT INTO users (user_name, normalized_user_name, display_name, created_at) VALUES ('ann', 'ANN', 'Ann', 1)
                """));
            var conversationId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("""
                INSERT INTO conversations (kind, title, created_at, last_activity_at) VALUES ('group', 'Old times', 1, 1)
                """));
            await connection.ExecuteAsync("""
                INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) VALUES (@conversationId, @userId, 'owner', 1);
                INSERT INTO messages (conversation_id, sender_id, kind, body, created_at) VALUES (@conversationId, @userId, 'text', 'an old harvest note', 2);
                INSERT INTO messages (conversation_id, sender_id, kind, body, created_at, deleted_at) VALUES (@conversationId, @userId, 'text', NULL, 3, 4);
                INSERT INTO messages (conversation_id, sender_id, kind, body, created_at) VALUES (@conversationId, NULL, 'system', 'harvest joined', 5);
                """, new { conversationId, userId });
        }

        foreach (var file in search)
        {
            File.Move(Path.Combine(folder, Path.GetFileName(file)), file);
        }

        var applied = await MigratorFor(db).MigrateAsync();

        Assert.Equal(search.Select(file => Path.GetFileName(file)).ToList(), applied);
        var found = await new SearchQueries(db).FindAsync(userId, new MessageSearchFilter(["harvest"]));
        Assert.Equal(["an old harvest note"], found.Select(row => row.Message.Body).ToList());
        Assert.Equal("Old times", found[0].ConversationTitle);
    }
}

public sealed class MigrationTestsOnSqlite() : MigrationTests(Engine.Sqlite);

public sealed class MigrationTestsOnMariaDb() : MigrationTests(Engine.MariaDb);
