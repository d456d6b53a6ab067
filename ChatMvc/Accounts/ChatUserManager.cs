using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

// Deleting an account leaves every group first, so ownership is handed over (or an emptied group goes)
// exactly as when the person leaves by hand. Their past messages stay, shown as from "deleted user".
public sealed class ChatUserManager(
    IUserStore<ChatUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<ChatUser> passwordHasher,
    IEnumerable<IUserValidator<ChatUser>> userValidators, IEnumerable<IPasswordValidator<ChatUser>> passwordValidators,
    ILookupNormalizer keyNormalizer, IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<ChatUser>> logger,
    ConversationQueries conversations, ConversationManagement management, ConversationCache cache)
    : UserManager<ChatUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> DeleteAsync(ChatUser user)
    {
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
        foreach (var conversationId in conversationIds)
        {
            await cache.ConversationChangedAsync(conversationId, alsoTell: [user.Id]);
        }

        return result;
    }
}
