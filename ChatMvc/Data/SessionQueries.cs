using Dapper;

namespace ChatMvc.Data;

// Whether an account's sessions may go on, and its API refresh tokens.
public sealed class SessionQueries(ChatDb db)
{
    // Null when the account no longer exists.
    public async Task<SessionLimit?> LimitAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<SessionLimit>(
            "SELECT sessions_valid_since, deactivated_at FROM users WHERE id = @userId", new { userId });
    }

    // Ends every session issued before now, and every refresh token.
    public async Task EndAllAsync(long userId, long now)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE users SET sessions_valid_since = @now WHERE id = @userId", new { userId, now }, transaction);
        await connection.ExecuteAsync(
            "UPDATE api_refresh_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL", new { userId, now }, transaction);
        await transaction.CommitAsync();
    }

    // Also forgets the person's tokens that have expired, which no longer need recognising.
    public async Task AddRefreshTokenAsync(RefreshTokenRow token)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "DELETE FROM api_refresh_tokens WHERE user_id = @UserId AND expires_at <= @CreatedAt", token, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO api_refresh_tokens (user_id, token_hash, family, security_stamp, created_at, expires_at)
            VALUES (@UserId, @TokenHash, @Family, @SecurityStamp, @CreatedAt, @ExpiresAt)
            """, token, transaction);
        await transaction.CommitAsync();
    }

    public async Task<RefreshTokenRow?> FindRefreshTokenAsync(string tokenHash)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<RefreshTokenRow>("""
            SELECT id, user_id, token_hash, family, security_stamp, created_at, expires_at, revoked_at
            FROM api_refresh_tokens WHERE token_hash = @tokenHash
            """, new { tokenHash });
    }

    // False when another request used it first.
    public async Task<bool> UseRefreshTokenAsync(long id, long now)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteAsync(
            "UPDATE api_refresh_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now }) == 1;
    }

    public async Task RevokeFamilyAsync(string family, long now)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE api_refresh_tokens SET revoked_at = @now WHERE family = @family AND revoked_at IS NULL", new { family, now });
    }
}

public sealed record SessionLimit
{
    public long? SessionsValidSince { get; init; }

    public long? DeactivatedAt { get; init; }
}

public sealed record RefreshTokenRow
{
    public long Id { get; init; }

    public long UserId { get; init; }

    public string TokenHash { get; init; } = string.Empty;

    public string Family { get; init; } = string.Empty;

    public string SecurityStamp { get; init; } = string.Empty;

    public long CreatedAt { get; init; }

    public long ExpiresAt { get; init; }

    public long? RevokedAt { get; init; }
}
