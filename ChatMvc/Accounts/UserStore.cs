using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using ChatMvc.Data;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Accounts;

// Identity's view of the users table and its satellites. The Set*/Get* members only change the object in
// memory, because UserManager always follows them with UpdateAsync; logins, claims and tokens live in their
// own tables, so those members write straight away.
public sealed class UserStore(ChatDb db, TimeProvider time, IdentityErrorDescriber errors) :
    IUserPasswordStore<ChatUser>,
    IUserEmailStore<ChatUser>,
    IUserSecurityStampStore<ChatUser>,
    IUserLockoutStore<ChatUser>,
    IUserTwoFactorStore<ChatUser>,
    IUserAuthenticatorKeyStore<ChatUser>,
    IUserTwoFactorRecoveryCodeStore<ChatUser>,
    IUserPhoneNumberStore<ChatUser>,
    IUserLoginStore<ChatUser>,
    IUserClaimStore<ChatUser>,
    IUserAuthenticationTokenStore<ChatUser>
{
    private const char RecoveryCodeSeparator = ';';

    private const string SelectUsers = """
        SELECT u.id, u.user_name, u.normalized_user_name, u.email, u.normalized_email, u.email_confirmed,
               u.password_hash, u.security_stamp, u.concurrency_stamp, u.phone_number, u.phone_number_confirmed,
               u.two_factor_enabled, u.lockout_end, u.lockout_enabled, u.access_failed_count, u.authenticator_key,
               u.recovery_codes, u.display_name, u.avatar_image_id, u.created_at, u.deactivated_at
        FROM users u
        """;

    public async Task<IdentityResult> CreateAsync(ChatUser user, CancellationToken cancellationToken)
    {
        user.ConcurrencyStamp ??= Guid.NewGuid().ToString();
        if (user.CreatedAt == default)
        {
            user.CreatedAt = time.GetUtcNow().UtcDateTime;
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            user.Id = await connection.ExecuteScalarAsync<long>(Command(db.Dialect.InsertReturningId("""
                INSERT INTO users (user_name, normalized_user_name, email, normalized_email, email_confirmed,
                    password_hash, security_stamp, concurrency_stamp, phone_number, phone_number_confirmed,
                    two_factor_enabled, lockout_end, lockout_enabled, access_failed_count, authenticator_key,
                    recovery_codes, display_name, avatar_image_id, created_at, deactivated_at)
                VALUES (@UserName, @NormalizedUserName, @Email, @NormalizedEmail, @EmailConfirmed,
                    @PasswordHash, @SecurityStamp, @ConcurrencyStamp, @PhoneNumber, @PhoneNumberConfirmed,
                    @TwoFactorEnabled, @LockoutEnd, @LockoutEnabled, @AccessFailedCount, @AuthenticatorKey,
                    @RecoveryCodes, @DisplayName, @AvatarImageId, @CreatedAt, @DeactivatedAt)
                """), UserRow.From(user), cancellationToken));
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            // UserManager checks for a duplicate first; this is the loser of two simultaneous registrations.
            return IdentityResult.Failed(errors.DuplicateUserName(user.UserName ?? string.Empty));
        }

        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var parameters = UserRow.From(user) with { NewConcurrencyStamp = Guid.NewGuid().ToString() };
        await using var connection = await db.OpenAsync(cancellationToken);
        int updated;
        try
        {
            updated = await connection.ExecuteAsync(Command("""
                UPDATE users SET user_name = @UserName, normalized_user_name = @NormalizedUserName,
                    email = @Email, normalized_email = @NormalizedEmail, email_confirmed = @EmailConfirmed,
                    password_hash = @PasswordHash, security_stamp = @SecurityStamp, concurrency_stamp = @NewConcurrencyStamp,
                    phone_number = @PhoneNumber, phone_number_confirmed = @PhoneNumberConfirmed,
                    two_factor_enabled = @TwoFactorEnabled, lockout_end = @LockoutEnd, lockout_enabled = @LockoutEnabled,
                    access_failed_count = @AccessFailedCount, authenticator_key = @AuthenticatorKey,
                    recovery_codes = @RecoveryCodes, display_name = @DisplayName, avatar_image_id = @AvatarImageId,
                    deactivated_at = @DeactivatedAt
                WHERE id = @Id
                  AND (concurrency_stamp = @ConcurrencyStamp OR (concurrency_stamp IS NULL AND @ConcurrencyStamp IS NULL))
                """, parameters, cancellationToken));
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return IdentityResult.Failed(errors.DuplicateUserName(user.UserName ?? string.Empty));
        }

        if (updated == 0)
        {
            return IdentityResult.Failed(errors.ConcurrencyFailure());
        }

        user.ConcurrencyStamp = parameters.NewConcurrencyStamp;
        return IdentityResult.Success;
    }

    // Memberships, logins, claims and tokens cascade; messages stay with sender_id set to NULL. The avatar is
    // personal and goes too; photos sent in conversations stay with their messages.
    public async Task<IdentityResult> DeleteAsync(ChatUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM users
            WHERE id = @Id
              AND (concurrency_stamp = @ConcurrencyStamp OR (concurrency_stamp IS NULL AND @ConcurrencyStamp IS NULL))
            """, new { user.Id, user.ConcurrencyStamp }, transaction, cancellationToken: cancellationToken));
        if (deleted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return IdentityResult.Failed(errors.ConcurrencyFailure());
        }

        if (user.AvatarImageId is { } avatar)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM images WHERE id = @avatar AND conversation_id IS NULL", new { avatar }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return IdentityResult.Success;
    }

    public Task<ChatUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? FindOneAsync($"{SelectUsers} WHERE u.id = @id", new { id }, cancellationToken)
            : Task.FromResult<ChatUser?>(null);

    public Task<ChatUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindOneAsync($"{SelectUsers} WHERE u.normalized_user_name = @normalizedUserName", new { normalizedUserName }, cancellationToken);

    // normalized_email is not a unique index (RequireUniqueEmail is an option); the oldest account wins.
    public Task<ChatUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindOneAsync($"{SelectUsers} WHERE u.normalized_email = @normalizedEmail ORDER BY u.id LIMIT 1", new { normalizedEmail }, cancellationToken);

    public Task<ChatUser?> FindByLoginAsync(string loginProvider, string providerKey, CancellationToken cancellationToken) =>
        FindOneAsync(
            $"{SelectUsers} JOIN user_logins l ON l.user_id = u.id WHERE l.login_provider = @loginProvider AND l.provider_key = @providerKey",
            new { loginProvider, providerKey },
            cancellationToken);

    public Task<string> GetUserIdAsync(ChatUser user, CancellationToken cancellationToken) =>
        Task.FromResult(user.Id.ToString(CultureInfo.InvariantCulture));

    public Task<string?> GetUserNameAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);

    public Task SetUserNameAsync(ChatUser user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(ChatUser user, CancellationToken cancellationToken) =>
        Task.FromResult(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(ChatUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName;
        return Task.CompletedTask;
    }

    public Task SetPasswordHashAsync(ChatUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(ChatUser user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email;
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.Email);

    public Task<bool> GetEmailConfirmedAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);

    public Task SetEmailConfirmedAsync(ChatUser user, bool confirmed, CancellationToken cancellationToken)
    {
        user.EmailConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedEmailAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(ChatUser user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail;
        return Task.CompletedTask;
    }

    public Task SetSecurityStampAsync(ChatUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(ChatUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(ChatUser user, CancellationToken cancellationToken) =>
        Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(ChatUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(ChatUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task SetTwoFactorEnabledAsync(ChatUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task SetAuthenticatorKeyAsync(ChatUser user, string key, CancellationToken cancellationToken)
    {
        user.AuthenticatorKey = key;
        return Task.CompletedTask;
    }

    public Task<string?> GetAuthenticatorKeyAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.AuthenticatorKey);

    public Task ReplaceCodesAsync(ChatUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        user.RecoveryCodes = string.Join(RecoveryCodeSeparator, recoveryCodes);
        return Task.CompletedTask;
    }

    // Written at once and only if the stored codes are still the ones this request read, so two requests
    // racing with the same code cannot both sign in with it.
    public async Task<bool> RedeemCodeAsync(ChatUser user, string code, CancellationToken cancellationToken)
    {
        var codes = SplitCodes(user.RecoveryCodes);
        if (!codes.Contains(code, StringComparer.Ordinal))
        {
            return false;
        }

        var remaining = string.Join(RecoveryCodeSeparator, codes.Where(c => !string.Equals(c, code, StringComparison.Ordinal)));
        await using var connection = await db.OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(Command(
            "UPDATE users SET recovery_codes = @remaining WHERE id = @Id AND recovery_codes = @current",
            new { user.Id, remaining, current = user.RecoveryCodes },
            cancellationToken));
        if (updated == 0)
        {
            return false;
        }

        user.RecoveryCodes = remaining;
        return true;
    }

    // True when the step is later than every step accepted before for this account. Checked and recorded in one
    // statement, so two requests racing with the same authenticator code cannot both pass.
    public async Task<bool> AcceptAuthenticatorStepAsync(ChatUser user, long step, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(
            "UPDATE users SET authenticator_step = @step WHERE id = @Id AND (authenticator_step IS NULL OR authenticator_step < @step)",
            new { user.Id, step },
            cancellationToken)) == 1;
    }

    public Task<int> CountCodesAsync(ChatUser user, CancellationToken cancellationToken) =>
        Task.FromResult(SplitCodes(user.RecoveryCodes).Length);

    public Task SetPhoneNumberAsync(ChatUser user, string? phoneNumber, CancellationToken cancellationToken)
    {
        user.PhoneNumber = phoneNumber;
        return Task.CompletedTask;
    }

    public Task<string?> GetPhoneNumberAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.PhoneNumber);

    public Task<bool> GetPhoneNumberConfirmedAsync(ChatUser user, CancellationToken cancellationToken) =>
        Task.FromResult(user.PhoneNumberConfirmed);

    public Task SetPhoneNumberConfirmedAsync(ChatUser user, bool confirmed, CancellationToken cancellationToken)
    {
        user.PhoneNumberConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public async Task AddLoginAsync(ChatUser user, UserLoginInfo login, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command("""
            INSERT INTO user_logins (login_provider, provider_key, provider_display_name, user_id)
            VALUES (@LoginProvider, @ProviderKey, @ProviderDisplayName, @Id)
            """, new { login.LoginProvider, login.ProviderKey, login.ProviderDisplayName, user.Id }, cancellationToken));
    }

    public async Task RemoveLoginAsync(ChatUser user, string loginProvider, string providerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "DELETE FROM user_logins WHERE user_id = @Id AND login_provider = @loginProvider AND provider_key = @providerKey",
            new { user.Id, loginProvider, providerKey },
            cancellationToken));
    }

    public async Task<IList<UserLoginInfo>> GetLoginsAsync(ChatUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LoginRow>(Command(
            "SELECT login_provider, provider_key, provider_display_name FROM user_logins WHERE user_id = @Id ORDER BY login_provider",
            new { user.Id },
            cancellationToken));
        return rows.Select(r => new UserLoginInfo(r.LoginProvider, r.ProviderKey, r.ProviderDisplayName)).ToList();
    }

    public async Task<IList<Claim>> GetClaimsAsync(ChatUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimRow>(Command(
            "SELECT claim_type, claim_value FROM user_claims WHERE user_id = @Id ORDER BY id",
            new { user.Id },
            cancellationToken));
        return rows.Select(r => new Claim(r.ClaimType, r.ClaimValue ?? string.Empty)).ToList();
    }

    public async Task AddClaimsAsync(ChatUser user, IEnumerable<Claim> claims, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "INSERT INTO user_claims (user_id, claim_type, claim_value) VALUES (@Id, @Type, @Value)",
            claims.Select(c => new { user.Id, c.Type, c.Value }).ToList(),
            cancellationToken));
    }

    public async Task ReplaceClaimAsync(ChatUser user, Claim claim, Claim newClaim, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command("""
            UPDATE user_claims SET claim_type = @newType, claim_value = @newValue
            WHERE user_id = @Id AND claim_type = @oldType AND claim_value = @oldValue
            """, new { user.Id, newType = newClaim.Type, newValue = newClaim.Value, oldType = claim.Type, oldValue = claim.Value }, cancellationToken));
    }

    public async Task RemoveClaimsAsync(ChatUser user, IEnumerable<Claim> claims, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "DELETE FROM user_claims WHERE user_id = @Id AND claim_type = @Type AND claim_value = @Value",
            claims.Select(c => new { user.Id, c.Type, c.Value }).ToList(),
            cancellationToken));
    }

    public async Task<IList<ChatUser>> GetUsersForClaimAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(Command(
            $"{SelectUsers} WHERE u.id IN (SELECT user_id FROM user_claims WHERE claim_type = @Type AND claim_value = @Value) ORDER BY u.id",
            new { claim.Type, claim.Value },
            cancellationToken));
        return rows.Select(r => r.ToUser()).ToList();
    }

    public async Task SetTokenAsync(ChatUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            db.Dialect.Upsert("user_tokens", "user_id, login_provider, name, value", "@Id, @loginProvider, @name, @value", "user_id, login_provider, name", ["value"]),
            new { user.Id, loginProvider, name, value },
            cancellationToken));
    }

    public async Task RemoveTokenAsync(ChatUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            "DELETE FROM user_tokens WHERE user_id = @Id AND login_provider = @loginProvider AND name = @name",
            new { user.Id, loginProvider, name },
            cancellationToken));
    }

    public async Task<string?> GetTokenAsync(ChatUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(Command(
            "SELECT value FROM user_tokens WHERE user_id = @Id AND login_provider = @loginProvider AND name = @name",
            new { user.Id, loginProvider, name },
            cancellationToken));
    }

    // Nothing to release: every method opens and disposes its own connection.
    public void Dispose()
    {
    }

    private static CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, cancellationToken: cancellationToken);

    private static string[] SplitCodes(string? codes) =>
        (codes ?? string.Empty).Split(RecoveryCodeSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<ChatUser?> FindOneAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(Command(sql, parameters, cancellationToken));
        return row?.ToUser();
    }

    // The users row as both engines store it (times are unix milliseconds, flags 0/1), read and written alike.
    private sealed record UserRow
    {
        public long Id { get; init; }

        public string? UserName { get; init; }

        public string? NormalizedUserName { get; init; }

        public string? Email { get; init; }

        public string? NormalizedEmail { get; init; }

        public bool EmailConfirmed { get; init; }

        public string? PasswordHash { get; init; }

        public string? SecurityStamp { get; init; }

        public string? ConcurrencyStamp { get; init; }

        // Only written: the stamp an update sets, while ConcurrencyStamp holds the one it expects.
        public string? NewConcurrencyStamp { get; init; }

        public string? PhoneNumber { get; init; }

        public bool PhoneNumberConfirmed { get; init; }

        public bool TwoFactorEnabled { get; init; }

        public long? LockoutEnd { get; init; }

        public bool LockoutEnabled { get; init; }

        public int AccessFailedCount { get; init; }

        public string? AuthenticatorKey { get; init; }

        public string? RecoveryCodes { get; init; }

        public string DisplayName { get; init; } = string.Empty;

        public long? AvatarImageId { get; init; }

        public long CreatedAt { get; init; }

        public long? DeactivatedAt { get; init; }

        public ChatUser ToUser() => new()
        {
            Id = Id,
            UserName = UserName,
            NormalizedUserName = NormalizedUserName,
            Email = Email,
            NormalizedEmail = NormalizedEmail,
            EmailConfirmed = EmailConfirmed,
            PasswordHash = PasswordHash,
            SecurityStamp = SecurityStamp,
            ConcurrencyStamp = ConcurrencyStamp,
            PhoneNumber = PhoneNumber,
            PhoneNumberConfirmed = PhoneNumberConfirmed,
            TwoFactorEnabled = TwoFactorEnabled,
            LockoutEnd = LockoutEnd is { } lockoutEnd ? Clock.OffsetFromUnixMs(lockoutEnd) : null,
            LockoutEnabled = LockoutEnabled,
            AccessFailedCount = AccessFailedCount,
            AuthenticatorKey = AuthenticatorKey,
            RecoveryCodes = RecoveryCodes,
            DisplayName = DisplayName,
            AvatarImageId = AvatarImageId,
            CreatedAt = Clock.FromUnixMs(CreatedAt),
            DeactivatedAt = DeactivatedAt is { } deactivatedAt ? Clock.FromUnixMs(deactivatedAt) : null,
        };

        public static UserRow From(ChatUser user) => new()
        {
            Id = user.Id,
            UserName = user.UserName,
            NormalizedUserName = user.NormalizedUserName,
            Email = user.Email,
            NormalizedEmail = user.NormalizedEmail,
            EmailConfirmed = user.EmailConfirmed,
            PasswordHash = user.PasswordHash,
            SecurityStamp = user.SecurityStamp,
            ConcurrencyStamp = user.ConcurrencyStamp,
            PhoneNumber = user.PhoneNumber,
            PhoneNumberConfirmed = user.PhoneNumberConfirmed,
            TwoFactorEnabled = user.TwoFactorEnabled,
            LockoutEnd = user.LockoutEnd is { } lockoutEnd ? Clock.ToUnixMs(lockoutEnd) : null,
            LockoutEnabled = user.LockoutEnabled,
            AccessFailedCount = user.AccessFailedCount,
            AuthenticatorKey = user.AuthenticatorKey,
            RecoveryCodes = user.RecoveryCodes,
            DisplayName = user.DisplayName,
            AvatarImageId = user.AvatarImageId,
            CreatedAt = Clock.ToUnixMs(user.CreatedAt),
            DeactivatedAt = user.DeactivatedAt is { } deactivatedAt ? Clock.ToUnixMs(deactivatedAt) : null,
        };
    }

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
