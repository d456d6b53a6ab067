using System.Globalization;
using ChatMvc.Data;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Accounts;

// Identity's view of the users table and its satellites, one file per group of store interfaces: this one holds
// the account itself, UserStore.SignIn.cs lockout and second factors, UserStore.Logins.cs external logins, claims
// and tokens. The Set*/Get* members only change the object in memory, because UserManager always follows them with
// UpdateAsync; logins, claims and tokens live in their own tables, so those members write straight away.
public sealed partial class UserStore(UserQueries queries, UserLoginQueries logins, TimeProvider time, IdentityErrorDescriber errors) :
    IUserPasswordStore<ChatUser>,
    IUserEmailStore<ChatUser>,
    IUserSecurityStampStore<ChatUser>,
    IUserPhoneNumberStore<ChatUser>
{
    public async Task<IdentityResult> CreateAsync(ChatUser user, CancellationToken cancellationToken)
    {
        user.ConcurrencyStamp ??= Guid.NewGuid().ToString();
        if (user.CreatedAt == default)
        {
            user.CreatedAt = time.GetUtcNow().UtcDateTime;
        }

        // UserManager checks for a duplicate first; a taken name here is the loser of two simultaneous registrations.
        if (await queries.InsertAsync(user, cancellationToken) is not { } inserted)
        {
            return IdentityResult.Failed(errors.DuplicateUserName(user.UserName ?? string.Empty));
        }

        (user.Id, user.IsAdmin) = inserted;
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var newConcurrencyStamp = Guid.NewGuid().ToString();
        switch (await queries.UpdateAsync(user, newConcurrencyStamp, cancellationToken))
        {
            case UserWrite.NameTaken:
                return IdentityResult.Failed(errors.DuplicateUserName(user.UserName ?? string.Empty));
            case UserWrite.ChangedMeanwhile:
                return IdentityResult.Failed(errors.ConcurrencyFailure());
            default:
                user.ConcurrencyStamp = newConcurrencyStamp;
                return IdentityResult.Success;
        }
    }

    public async Task<IdentityResult> DeleteAsync(ChatUser user, CancellationToken cancellationToken) =>
        await queries.DeleteAsync(user, cancellationToken) == UserWrite.Saved
            ? IdentityResult.Success
            : IdentityResult.Failed(errors.ConcurrencyFailure());

    public Task<ChatUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? queries.FindByIdAsync(id, cancellationToken)
            : Task.FromResult<ChatUser?>(null);

    public Task<ChatUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        queries.FindByNameAsync(normalizedUserName, cancellationToken);

    public Task<ChatUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        queries.FindByEmailAsync(normalizedEmail, cancellationToken);

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

    // Nothing to release: every query opens and disposes its own connection.
    public void Dispose()
    {
    }
}
