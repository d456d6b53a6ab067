using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Accounts;

// Lockout and the second factors: authenticator key and recovery codes. A code is checked and spent in one
// statement, so two requests racing with the same code cannot both sign in with it.
public sealed partial class UserStore :
    IUserLockoutStore<ChatUser>,
    IUserTwoFactorStore<ChatUser>,
    IUserAuthenticatorKeyStore<ChatUser>,
    IUserTwoFactorRecoveryCodeStore<ChatUser>
{
    private const char RecoveryCodeSeparator = ';';

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

    // True when the step is later than every step accepted before for this account.
    public Task<bool> AcceptAuthenticatorStepAsync(ChatUser user, long step, CancellationToken cancellationToken) =>
        queries.AcceptAuthenticatorStepAsync(user.Id, step, cancellationToken);

    public Task ReplaceCodesAsync(ChatUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        user.RecoveryCodes = string.Join(RecoveryCodeSeparator, recoveryCodes);
        return Task.CompletedTask;
    }

    // Written at once and only if the stored codes are still the ones this request read.
    public async Task<bool> RedeemCodeAsync(ChatUser user, string code, CancellationToken cancellationToken)
    {
        var codes = SplitCodes(user.RecoveryCodes);
        if (!codes.Contains(code, StringComparer.Ordinal))
        {
            return false;
        }

        var remaining = string.Join(RecoveryCodeSeparator, codes.Where(c => !string.Equals(c, code, StringComparison.Ordinal)));
        if (!await queries.ReplaceRecoveryCodesAsync(user.Id, user.RecoveryCodes, remaining, cancellationToken))
        {
            return false;
        }

        user.RecoveryCodes = remaining;
        return true;
    }

    public Task<int> CountCodesAsync(ChatUser user, CancellationToken cancellationToken) =>
        Task.FromResult(SplitCodes(user.RecoveryCodes).Length);

    private static string[] SplitCodes(string? codes) =>
        (codes ?? string.Empty).Split(RecoveryCodeSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
