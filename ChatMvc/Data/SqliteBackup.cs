using Dapper;
using Microsoft.Data.Sqlite;

namespace ChatMvc.Data;

public sealed class BackupException(string message) : Exception(message);

// Backup and restore of the embedded SQLite database, through SQLite's online backup API: a backup is one
// consistent snapshot even while the app keeps writing. MySQL has mysqldump for this (see the README).
public sealed class SqliteBackup(ChatDb db)
{
    public async Task<long> BackupAsync(string file)
    {
        var source = RequireSqlite();
        if (File.Exists(file) && new FileInfo(file).Length > 0)
        {
            throw new BackupException($"{file} already exists. Choose a new file name; a backup never overwrites one.");
        }

        if (!File.Exists(source))
        {
            throw new BackupException($"There is no database at {source} to back up.");
        }

        await using var from = await db.OpenAsync();
        await using var to = new SqliteConnection(FileConnection(file, SqliteOpenMode.ReadWriteCreate));
        await to.OpenAsync();
        ((SqliteConnection)from).BackupDatabase(to);
        // One self-contained file to copy away, with no -wal beside it.
        await to.ExecuteScalarAsync<string>("PRAGMA journal_mode=DELETE");
        return await to.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages");
    }

    public async Task<long> RestoreAsync(string file)
    {
        var target = RequireSqlite();
        if (!File.Exists(file))
        {
            throw new BackupException($"{file} does not exist.");
        }

        await using var from = new SqliteConnection(FileConnection(file, SqliteOpenMode.ReadOnly));
        long messages;
        try
        {
            await from.OpenAsync();
            await from.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_history");
            messages = await from.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages");
        }
        catch (SqliteException)
        {
            throw new BackupException($"{file} is not a backup of this app's database.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        await using var to = new SqliteConnection(FileConnection(target, SqliteOpenMode.ReadWriteCreate));
        await to.OpenAsync();
        try
        {
            // Leaving WAL mode needs the only connection to the file, so it fails while the app has it open;
            // it also folds any pending WAL into the file before the pages are replaced.
            await to.ExecuteAsync("PRAGMA busy_timeout=0");
            await to.ExecuteScalarAsync<string>("PRAGMA journal_mode=DELETE");
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new BackupException(
                $"The database at {target} is in use. Stop the app before restoring over it, or restore into a new file.");
        }

        from.BackupDatabase(to);
        await to.ExecuteScalarAsync<string>("PRAGMA journal_mode=WAL");
        return messages;
    }

    private string RequireSqlite() => db.SqliteFile ?? throw new BackupException(
        "backup and restore work on the embedded SQLite database. On MySQL use mysqldump --single-transaction (see the README).");

    private static string FileConnection(string file, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = file,
        Mode = mode,
        Pooling = false,
    }.ConnectionString;
}
