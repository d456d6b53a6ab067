using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace ChatMvc.Data;

public sealed record MigrationFile(int Version, string Name, string Sql, string Checksum);

public sealed class MigrationException(string message) : Exception(message);

// Applies the numbered plain-SQL files of migrations/<engine>/ once each, recording them with a checksum.
// A named database lock makes concurrent starters take turns, so each file runs exactly once.
public sealed partial class Migrator(ChatDb db, ILogger<Migrator> logger)
{
    private const string LockName = "chatmvc_migrations";

    public IReadOnlyList<MigrationFile> ReadFiles()
    {
        var folder = Path.Combine(db.MigrationsPath, db.Dialect.MigrationsFolder);
        if (!Directory.Exists(folder))
        {
            throw new MigrationException($"The migrations folder '{folder}' does not exist.");
        }

        var files = new List<MigrationFile>();
        foreach (var path in Directory.GetFiles(folder, "*.sql"))
        {
            var name = Path.GetFileName(path);
            var match = FileNamePattern().Match(name);
            if (!match.Success)
            {
                throw new MigrationException($"Migration file '{name}' must be named like 0001_what_it_does.sql.");
            }

            // Line endings must not change the checksum: a checkout on another OS is the same file.
            var sql = File.ReadAllText(path).Replace("\r\n", "\n");
            files.Add(new MigrationFile(
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), name, sql, Checksum(sql)));
        }

        var duplicate = files.GroupBy(f => f.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationException(
                $"Migration files {string.Join(" and ", duplicate.Select(f => f.Name))} share version {duplicate.Key}.");
        }

        return files.OrderBy(f => f.Version).ToList();
    }

    // Returns the names of the files applied by this call (empty when the database was already current).
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var files = ReadFiles();
        await using var connection = await db.OpenAsync(cancellationToken);
        if (db.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers go on while one writer writes; the setting persists in the file.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL");
        }

        await connection.ExecuteAsync(db.Dialect.CreateSchemaHistoryTable);
        var applied = new List<string>();
        await using (var dbLock = await db.Dialect.AcquireLockAsync(connection, LockName, TimeSpan.FromSeconds(120)))
        {
            var history = (await connection.QueryAsync<(long Version, string Name, string Checksum)>(
                "SELECT version, name, checksum FROM schema_history ORDER BY version")).ToDictionary(h => h.Version);

            foreach (var file in files)
            {
                if (history.TryGetValue(file.Version, out var done))
                {
                    if (done.Checksum != file.Checksum)
                    {
                        throw new MigrationException(
                            $"Migration {file.Name} was changed after it was applied (recorded as {done.Name}). "
                            + "Restore the original file and put the change in a new, higher-numbered file.");
                    }

                    continue;
                }

                await ApplyAsync(connection, file);
                applied.Add(file.Name);
                logger.LogInformation("Applied migration {Migration}", file.Name);
            }

            dbLock.Complete();
        }

        // Outside the lock: the backfill locks the messages it indexes, so instances starting together share the work.
        if (db.Dialect.KeepsMessageWords && files.Any(file => file.Version == MessageWords.MigrationVersion))
        {
            await MessageWords.BackfillAsync(connection, logger, cancellationToken);
        }

        return applied;
    }

    private static async Task ApplyAsync(DbConnection connection, MigrationFile file)
    {
        try
        {
            await connection.ExecuteAsync(file.Sql);
        }
        catch (DbException e)
        {
            throw new MigrationException($"Migration {file.Name} failed: {e.Message}");
        }

        await connection.ExecuteAsync(
            "INSERT INTO schema_history (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
            new { file.Version, file.Name, file.Checksum, AppliedAt = Clock.ToUnixMs(DateTime.UtcNow) });
    }

    private static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));

    [GeneratedRegex(@"^(\d+)_[A-Za-z0-9_\-]+\.sql$")]
    private static partial Regex FileNamePattern();
}
