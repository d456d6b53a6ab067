using Dapper;

namespace ChatMvc.Data;

public enum AdminChange
{
    Done,
    NoSuchUser,

    // The change would leave no active administrator.
    LastAdministrator,
}

// Administrators and the people they look after: the list with each account's email and last activity, promotion,
// demotion and deactivation. Changes that could leave nobody in charge run under one named lock, so two
// administrators demoting each other at the same moment cannot both succeed.
public sealed class AdminQueries(ChatDb db)
{
    private const string LockName = "chatmvc-administrators";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    private const string SelectAccounts = """
        SELECT id, display_name, email, is_admin, two_factor_enabled, created_at, last_seen_at, deactivated_at
        FROM users
        """;

    public async Task<bool> IsActiveAdminAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE id = @userId AND is_admin = 1 AND deactivated_at IS NULL", new { userId }) == 1;
    }

    // Whether deleting this account would leave the others without an active administrator: it is the only one,
    // and someone else is still here to need one (the last person of an installation may go).
    public async Task<bool> IsLastAdministratorOfOthersAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = @userId AND is_admin = 1 AND deactivated_at IS NULL)
                AND (SELECT COUNT(*) FROM users WHERE is_admin = 1 AND deactivated_at IS NULL) = 1
                AND EXISTS (SELECT 1 FROM users WHERE id <> @userId AND is_bot = 0 AND deactivated_at IS NULL)
            THEN 1 ELSE 0 END
            """,
            new { userId }) == 1;
    }

    // People's accounts only: a bot (is_bot) is managed from its group, never here. Active accounts first, then by name.
    public async Task<IReadOnlyList<AccountRow>> ListAsync()
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<AccountRow>(
            $"{SelectAccounts} WHERE is_bot = 0 ORDER BY CASE WHEN deactivated_at IS NULL THEN 0 ELSE 1 END, display_name, id")).ToList();
    }

    public async Task<AccountRow?> FindAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<AccountRow>($"{SelectAccounts} WHERE id = @userId AND is_bot = 0", new { userId });
    }

    public async Task<AdminChange> SetAdminAsync(long userId, bool isAdmin) =>
        await UnderLockAsync(userId, removesAnAdministrator: !isAdmin, (connection, _) => connection.ExecuteAsync(
            "UPDATE users SET is_admin = @isAdmin WHERE id = @userId", new { userId, isAdmin }));

    // Deactivation also ends every session and refresh token of the account (as SessionQueries.EndAllAsync does).
    public async Task<AdminChange> DeactivateAsync(long userId, long now) =>
        await UnderLockAsync(userId, removesAnAdministrator: true, async (connection, _) =>
        {
            await connection.ExecuteAsync(
                "UPDATE users SET deactivated_at = COALESCE(deactivated_at, @now), sessions_valid_since = @now WHERE id = @userId",
                new { userId, now });
            await connection.ExecuteAsync(
                "UPDATE api_refresh_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL", new { userId, now });
        });

    // Sessions ended by the deactivation stay ended: the person signs in again.
    public async Task<bool> ReactivateAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("UPDATE users SET deactivated_at = NULL WHERE id = @userId", new { userId });
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE id = @userId", new { userId }) == 1;
    }

    private async Task<AdminChange> UnderLockAsync(
        long userId, bool removesAnAdministrator, Func<System.Data.Common.DbConnection, AccountRow, Task> change)
    {
        await using var connection = await db.OpenAsync();
        await using var dbLock = await db.Dialect.AcquireLockAsync(connection, LockName, LockWait);
        var account = await connection.QuerySingleOrDefaultAsync<AccountRow>($"{SelectAccounts} WHERE id = @userId AND is_bot = 0", new { userId });
        if (account is null)
        {
            return AdminChange.NoSuchUser;
        }

        if (removesAnAdministrator && account.IsAdmin && account.DeactivatedAt is null
            && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE is_admin = 1 AND deactivated_at IS NULL") <= 1)
        {
            return AdminChange.LastAdministrator;
        }

        await change(connection, account);
        dbLock.Complete();
        return AdminChange.Done;
    }
}

public sealed record AccountRow
{
    public long Id { get; init; }

    public string DisplayName { get; init; } = string.Empty;

    public string? Email { get; init; }

    public bool IsAdmin { get; init; }

    public bool TwoFactorEnabled { get; init; }

    public long CreatedAt { get; init; }

    public long? LastSeenAt { get; init; }

    public long? DeactivatedAt { get; init; }
}
