using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

// Deleting an account leaves every group first, so ownership is handed over (or an emptied group goes)
// exactly as when the person leaves by hand. Their past messages stay, shown as from "deleted user".
// Deleting or locking an account ends its sessions and tokens at once (AccountSessions).
public sealed class ChatUserManager(
    IUserStore<ChatUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<ChatUser> passwordHasher,
    IEnumerable<IUserValidator<ChatUser>> userValidators, IEnumerable<IPasswordValidator<ChatUser>> passwordValidators,
    ILookupNormalizer keyNormalizer, IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<ChatUser>> logger,
    ConversationQueries conversations, ConversationManagement management, ConversationCache cache, AccountSessions sessions,
    AdminQueries administrators)
    : UserManager<ChatUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public const string LastAdministratorCode = "LastAdministrator";

    public const string LastAdministratorMessage =
        "You are the only active administrator: make someone else an administrator first (Administration, People), then delete your account.";

    // Whether this account may be deleted now; the account pages ask before showing the form.
    public Task<bool> IsLastAdministratorAsync(ChatUser user) => administrators.IsLastAdministratorOfOthersAsync(user.Id);

    public override async Task<IdentityResult> DeleteAsync(ChatUser user)
    {
        // The others would be left with nobody to manage accounts, as demoting or deactivating the last one would.
        if (await IsLastAdministratorAsync(user))
        {
            return IdentityResult.Failed(new IdentityError { Code = LastAdministratorCode, Description = LastAdministratorMessage });
        }

        var conversationIds = await conversations.ConversationIdsOfAsync(user.Id);
        foreach (var conversationId in conversationIds)
        {
            var details = await conversations.FindAsync(conversationId);
            if (details?.Kind == ConversationKind.Group)
            {
                await management.RemoveMemberAsync(details, user.Id, user.Id);
            }
        }

        var result = await base.DeleteAsync(user);
        if (result.Succeeded)
        {
            await sessions.ForgetAsync(user.Id);
        }

        foreach (var conversationId in conversationIds)
        {
            await cache.ConversationChangedAsync(conversationId, alsoTell: [user.Id]);
        }

        return result;
    }

    // Failed sign-ins lock the account after the last allowed attempt.
    public override async Task<IdentityResult> AccessFailedAsync(ChatUser user) =>
        await EndSessionsIfLockedAsync(user, await base.AccessFailedAsync(user));

    public override async Task<IdentityResult> SetLockoutEndDateAsync(ChatUser user, DateTimeOffset? lockoutEnd) =>
        await EndSessionsIfLockedAsync(user, await base.SetLockoutEndDateAsync(user, lockoutEnd));

    private async Task<IdentityResult> EndSessionsIfLockedAsync(ChatUser user, IdentityResult result)
    {
        if (result.Succeeded && await IsLockedOutAsync(user))
        {
            await sessions.EndAllAsync(user.Id);
        }

        return result;
    }
}
