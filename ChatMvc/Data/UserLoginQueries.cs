using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Data;

// An account's external logins and what comes with them, claims and authentication tokens (kept per login
// provider): each a table of its own, keyed by the user and cascading when the account is deleted.
public sealed class UserLoginQueries(ChatDb db)
{
    public async Task AddLoginAsync(long userId, UserLoginInfo login, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command("""
            INSERT INTO user_logins (login_provider, provider_key, provider_display_name, user_id)
            VALUES (@LoginProvider, @ProviderKey, @ProviderDisplayName, @userId)
            """, new { login.LoginProvider, login.ProviderKey, login.ProviderDisplayName, userId }, cancellationToken));
    }

    public async Task RemoveLoginAsync(long userId, string loginProvider, string providerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "DELETE FROM user_logins WHERE user_id = @userId AND login_provider = @loginProvider AND provider_key = @providerKey",
            new { userId, loginProvider, providerKey },
            cancellationToken));
    }

    public async Task<IList<UserLoginInfo>> LoginsAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LoginRow>(Command(
            "SELECT login_provider, provider_key, provider_display_name FROM user_logins WHERE user_id = @userId ORDER BY login_provider",
            new { userId },
            cancellationToken));
        return rows.Select(r => new UserLoginInfo(r.LoginProvider, r.ProviderKey, r.ProviderDisplayName)).ToList();
    }

    public async Task<IList<Claim>> ClaimsAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimRow>(Command(
            "SELECT claim_type, claim_value FROM user_claims WHERE user_id = @userId ORDER BY id",
            new { userId },
            cancellationToken));
        return rows.Select(r => new Claim(r.ClaimType, r.ClaimValue ?? string.Empty)).ToList();
    }

    public async Task AddClaimsAsync(long userId, IEnumerable<Claim> claims, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "INSERT INTO user_claims (user_id, claim_type, claim_value) VALUES (@userId, @Type, @Value)",
            claims.Select(c => new { userId, c.Type, c.Value }).ToList(),
            cancellationToken));
    }

    public async Task ReplaceClaimAsync(long userId, Claim claim, Claim newClaim, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command("""
            UPDATE user_claims SET claim_type = @newType, claim_value = @newValue
            WHERE user_id = @userId AND claim_type = @oldType AND claim_value = @oldValue
            """, new { userId, newType = newClaim.Type, newValue = newClaim.Value, oldType = claim.Type, oldValue = claim.Value }, cancellationToken));
    }

    public async Task RemoveClaimsAsync(long userId, IEnumerable<Claim> claims, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "DELETE FROM user_claims WHERE user_id = @userId AND claim_type = @Type AND claim_value = @Value",
            claims.Select(c => new { userId, c.Type, c.Value }).ToList(),
            cancellationToken));
    }

    public async Task SetTokenAsync(long userId, string loginProvider, string name, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            db.Dialect.Upsert("user_tokens", "user_id, login_provider, name, value", "@userId, @loginProvider, @name, @value", "user_id, login_provider, name", ["value"]),
            new { userId, loginProvider, name, value },
            cancellationToken));
    }

    public async Task RemoveTokenAsync(long userId, string loginProvider, string name, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "DELETE FROM user_tokens WHERE user_id = @userId AND login_provider = @loginProvider AND name = @name",
            new { userId, loginProvider, name },
            cancellationToken));
    }

    public async Task<string?> TokenAsync(long userId, string loginProvider, string name, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(Command(
            "SELECT value FROM user_tokens WHERE user_id = @userId AND login_provider = @loginProvider AND name = @name",
            new { userId, loginProvider, name },
            cancellationToken));
    }

    private static CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, cancellationToken: cancellationToken);

    private sealed class LoginRow
    {
        public string LoginProvider { get; init; } = string.Empty;

        public string ProviderKey { get; init; } = string.Empty;

        public string? ProviderDisplayName { get; init; }
    }

    private sealed class ClaimRow
    {
        public string ClaimType { get; init; } = string.Empty;

        public string? ClaimValue { get; init; }
    }
}
