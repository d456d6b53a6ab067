using System.Globalization;
using System.Security.Claims;
using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Admin;

// What administrators do to people's accounts, the same for the admin pages and /api/v1/admin. Every change is
// idempotent (promoting an administrator changes nothing and says so with the same answer), never leaves the
// installation without an active administrator, and is written to the audit log when it changed something.
public sealed class Administration(
    AdminQueries queries, AccountSessions sessions, AuditLog audit, UserManager<ChatUser> users, TimeProvider time,
    ConversationQueries conversations, ConversationCache cache)
{
    public const string LastAdministratorMessage =
        "This is the last active administrator: promote someone else first, so that someone can still manage the accounts.";

    private const string NoSuchPerson = "There is no account with this id.";

    public Task<bool> IsAdminAsync(long userId) => queries.IsActiveAdminAsync(userId);

    public Task<IReadOnlyList<AccountRow>> PeopleAsync() => queries.ListAsync();

    public Task<AccountRow?> FindAsync(long userId) => queries.FindAsync(userId);

    public Task<Outcome<AccountRow>> PromoteAsync(ClaimsPrincipal admin, long userId) =>
        ChangeAsync(admin, userId, AuditActions.Promoted, account => account.IsAdmin, () => queries.SetAdminAsync(userId, true));

    public Task<Outcome<AccountRow>> DemoteAsync(ClaimsPrincipal admin, long userId) =>
        ChangeAsync(admin, userId, AuditActions.Demoted, account => !account.IsAdmin, () => queries.SetAdminAsync(userId, false));

    // Ends every cookie, bearer token and refresh token of the account at once; its messages stay, marked.
    public async Task<Outcome<AccountRow>> DeactivateAsync(ClaimsPrincipal admin, long userId)
    {
        if (userId == admin.UserId())
        {
            return new Outcome<AccountRow>.Forbidden(
                "You cannot deactivate your own account: another administrator can, or delete it from your account settings.");
        }

        var outcome = await ChangeAsync(
            admin, userId, AuditActions.Deactivated, account => account.DeactivatedAt is not null,
            () => queries.DeactivateAsync(userId, Clock.ToUnixMs(time.GetUtcNow())));
        if (outcome is Outcome<AccountRow>.Done)
        {
            await sessions.ForgetAsync(userId);
            await ShowChangeInConversationsAsync(userId);
        }

        return outcome;
    }

    public async Task<Outcome<AccountRow>> ReactivateAsync(ClaimsPrincipal admin, long userId)
    {
        var outcome = await ChangeAsync(
            admin, userId, AuditActions.Reactivated, account => account.DeactivatedAt is null,
            async () => await queries.ReactivateAsync(userId) ? AdminChange.Done : AdminChange.NoSuchUser);
        if (outcome is Outcome<AccountRow>.Done)
        {
            await sessions.ForgetAsync(userId);
            await ShowChangeInConversationsAsync(userId);
        }

        return outcome;
    }

    // For someone who lost their authenticator and recovery codes: they sign in with the password alone and may set
    // two-factor sign-in up again. The new security stamp also forgets every browser remembered for two-factor.
    public async Task<Outcome<AccountRow>> ResetTwoFactorAsync(ClaimsPrincipal admin, long userId)
    {
        if (await users.FindByIdAsync(userId.ToString(CultureInfo.InvariantCulture)) is not { } user)
        {
            return new Outcome<AccountRow>.NotFound(NoSuchPerson);
        }

        if (user.TwoFactorEnabled || user.AuthenticatorKey is not null)
        {
            var result = await users.SetTwoFactorEnabledAsync(user, false);
            if (result.Succeeded)
            {
                await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
                result = await users.ResetAuthenticatorKeyAsync(user);
            }

            if (!result.Succeeded)
            {
                return Outcome.Invalid<AccountRow>(string.Empty, "The account changed meanwhile. Try again.");
            }

            await audit.RecordAsync(admin, AuditActions.TwoFactorReset, user.Id, user.DisplayName);
        }

        return await queries.FindAsync(userId) is { } account ? account : new Outcome<AccountRow>.NotFound(NoSuchPerson);
    }

    // Cached messages carry whether their sender is deactivated; drop them so every conversation shows it.
    private async Task ShowChangeInConversationsAsync(long userId)
    {
        foreach (var conversationId in await conversations.ConversationIdsOfAsync(userId))
        {
            await cache.ConversationChangedAsync(conversationId);
        }
    }

    private async Task<Outcome<AccountRow>> ChangeAsync(
        ClaimsPrincipal admin, long userId, string action, Func<AccountRow, bool> alreadyDone, Func<Task<AdminChange>> change)
    {
        if (await queries.FindAsync(userId) is not { } before)
        {
            return new Outcome<AccountRow>.NotFound(NoSuchPerson);
        }

        if (!alreadyDone(before))
        {
            switch (await change())
            {
                case AdminChange.NoSuchUser:
                    return new Outcome<AccountRow>.NotFound(NoSuchPerson);
                case AdminChange.LastAdministrator:
                    return new Outcome<AccountRow>.Forbidden(LastAdministratorMessage);
            }

            await audit.RecordAsync(admin, action, before.Id, before.DisplayName);
        }

        return await queries.FindAsync(userId) is { } after ? after : new Outcome<AccountRow>.NotFound(NoSuchPerson);
    }
}
