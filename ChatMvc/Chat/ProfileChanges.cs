using ChatMvc.Accounts;
using ChatMvc.Data;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Chat;

// Changing a person's profile (name, time zone), from the profile page or the API.
public sealed class ProfileChanges(
    UserManager<ChatUser> users, ConversationQueries conversations, ConversationCache cache, ConversationListCache lists)
{
    public const int MaxDisplayNameLength = 100;

    // The name as stored: trimmed. Null when it is empty, too long or not a plain name (MessageText.NameError).
    public static string? NormalizeDisplayName(string? displayName, out string? error)
    {
        var name = displayName?.Trim() ?? string.Empty;
        error = name.Length is 0 or > MaxDisplayNameLength
            ? $"A display name needs 1 to {MaxDisplayNameLength} characters."
            : MessageText.NameError(name, "A display name");
        return error is null ? name : null;
    }

    // The name and, when given, the time zone (TimeZones.Normalize), in one write: both are checked before either is stored.
    public async Task<IdentityResult> UpdateAsync(ChatUser user, string displayName, string? timeZone)
    {
        var renamed = user.DisplayName != displayName;
        user.DisplayName = displayName;
        user.TimeZone = timeZone ?? user.TimeZone;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded || !renamed)
        {
            return result;
        }

        await lists.ProfileChangedAsync(user.Id);

        // Cached messages carry the old name; drop them so every conversation shows the new one.
        foreach (var conversationId in await conversations.ConversationIdsOfAsync(user.Id))
        {
            await cache.ConversationChangedAsync(conversationId);
        }

        return result;
    }
}
