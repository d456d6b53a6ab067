using System.Data.Common;
using System.Security.Claims;
using ChatMvc.Accounts;
using Dapper;

namespace ChatMvc.Data;

public enum UserWrite
{
    Saved,

    // Another account holds the user name: the loser of two simultaneous registrations or renames.
    NameTaken,

    // The row's concurrency stamp is no longer the one the caller read.
    ChangedMeanwhile,
}

// The users table as Identity's store reads and writes it. A write that could race another request names the
// concurrency stamp it read, so two requests editing the same account cannot silently overwrite each other.
public sealed class UserQueries(ChatDb db)
{
    private const string SelectUsers = """
        SELECT u.id, u.user_name, u.normalized_user_name, u.email, u.normalized_email, u.email_confirmed,
               u.password_hash, u.security_stamp, u.concurrency_stamp, u.phone_number, u.phone_number_confirmed,
               u.two_factor_enabled, u.lockout_end, u.lockout_enabled, u.access_failed_count, u.authenticator_key,
               u.recovery_codes, u.display_name, u.avatar_image_id, u.time_zone, u.created_at, u.deactivated_at,
               u.is_admin
        FROM users u
        """;

    // The new account's id and whether it is an administrator (the first account of the installation is), or null
    // when another account took the name first.
    public async Task<(long Id, bool IsAdmin)?> InsertAsync(ChatUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(Command(db.Dialect.InsertReturningId("""
                INSERT INTO users (user_name, normalized_user_name, email, normalized_email, email_confirmed,
                    password_hash, security_stamp, concurrency_stamp, phone_number, phone_number_confirmed,
                    two_factor_enabled, lockout_end, lockout_enabled, access_failed_count, authenticator_key,
                    recovery_codes, display_name, avatar_image_id, time_zone, created_at, deactivated_at, is_admin)
                SELECT @UserName, @NormalizedUserName, @Email, @NormalizedEmail, @EmailConfirmed,
                    @PasswordHash, @SecurityStamp, @ConcurrencyStamp, @PhoneNumber, @PhoneNumberConfirmed,
                    @TwoFactorEnabled, @LockoutEnd, @LockoutEnabled, @AccessFailedCount, @AuthenticatorKey,
                    @RecoveryCodes, @DisplayName, @AvatarImageId, @TimeZone, @CreatedAt, @DeactivatedAt,
                    CASE WHEN EXISTS (SELECT 1 FROM users) THEN 0 ELSE 1 END
                """), UserRow.From(user), cancellationToken));
            var isAdmin = await connection.ExecuteScalarAsync<bool>(Command("SELECT is_admin FROM users WHERE id = @id", new { id }, cancellationToken));
            return (id, isAdmin);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return null;
        }
    }

    // Writes every column and sets the concurrency stamp to newConcurrencyStamp, if the row still has user's.
    public async Task<UserWrite> UpdateAsync(ChatUser user, string newConcurrencyStamp, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            var updated = await connection.ExecuteAsync(Command("""
                UPDATE users SET user_name = @UserName, normalized_user_name = @NormalizedUserName,
                    email = @Email, normalized_email = @NormalizedEmail, email_confirmed = @EmailConfirmed,
                    password_hash = @PasswordHash, security_stamp = @SecurityStamp, concurrency_stamp = @NewConcurrencyStamp,
                    phone_number = @PhoneNumber, phone_number_confirmed = @PhoneNumberConfirmed,
                    two_factor_enabled = @TwoFactorEnabled, lockout_end = @LockoutEnd, lockout_enabled = @LockoutEnabled,
                    access_failed_count = @AccessFailedCount, authenticator_key = @AuthenticatorKey,
                    recovery_codes = @RecoveryCodes, display_name = @DisplayName, avatar_image_id = @AvatarImageId,
                    time_zone = @TimeZone, deactivated_at = @DeactivatedAt
                WHERE id = @Id
                  AND (concurrency_stamp = @ConcurrencyStamp OR (concurrency_stamp IS NULL AND @ConcurrencyStamp IS NULL))
                """, UserRow.From(user) with { NewConcurrencyStamp = newConcurrencyStamp }, cancellationToken));
            return updated == 0 ? UserWrite.ChangedMeanwhile : UserWrite.Saved;
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return UserWrite.NameTaken;
        }
    }

    // Memberships, logins, claims and tokens cascade; messages stay with sender_id set to NULL. The avatar is
    // personal and goes too; photos sent in conversations stay with their messages.
    public async Task<UserWrite> DeleteAsync(ChatUser user, CancellationToken cancellationToken)
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
            return UserWrite.ChangedMeanwhile;
        }

        if (user.AvatarImageId is { } avatar)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM images WHERE id = @avatar AND conversation_id IS NULL", new { avatar }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return UserWrite.Saved;
    }

    public Task<ChatUser?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        FindOneAsync($"{SelectUsers} WHERE u.id = @id", new { id }, cancellationToken);

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

    public async Task<IList<ChatUser>> FindByClaimAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(Command(
            $"{SelectUsers} WHERE u.id IN (SELECT user_id FROM user_claims WHERE claim_type = @Type AND claim_value = @Value) ORDER BY u.id",
            new { claim.Type, claim.Value },
            cancellationToken));
        return rows.Select(r => r.ToUser()).ToList();
    }

    // False when the stored codes are no longer `current`: another request redeemed one first.
    public async Task<bool> ReplaceRecoveryCodesAsync(long userId, string? current, string remaining, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(
            "UPDATE users SET recovery_codes = @remaining WHERE id = @userId AND recovery_codes = @current",
            new { userId, remaining, current },
            cancellationToken)) == 1;
    }

    // Checked and recorded in one statement, so two requests racing with the same authenticator code cannot both pass.
    public async Task<bool> AcceptAuthenticatorStepAsync(long userId, long step, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(
            "UPDATE users SET authenticator_step = @step WHERE id = @userId AND (authenticator_step IS NULL OR authenticator_step < @step)",
            new { userId, step },
            cancellationToken)) == 1;
    }

    private static CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, cancellationToken: cancellationToken);

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

        public string? TimeZone { get; init; }

        public long CreatedAt { get; init; }

        public long? DeactivatedAt { get; init; }

        public bool IsAdmin { get; init; }

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
            TimeZone = TimeZone,
            CreatedAt = Clock.FromUnixMs(CreatedAt),
            DeactivatedAt = DeactivatedAt is { } deactivatedAt ? Clock.FromUnixMs(deactivatedAt) : null,
            IsAdmin = IsAdmin,
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
            TimeZone = user.TimeZone,
            CreatedAt = Clock.ToUnixMs(user.CreatedAt),
            DeactivatedAt = user.DeactivatedAt is { } deactivatedAt ? Clock.ToUnixMs(deactivatedAt) : null,
        };
    }
}
