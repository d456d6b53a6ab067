using ChatMvc.Data;

namespace ChatMvc.Chat;

// Changes to messages and memberships: the database first, then a system line in the log where people
// should see what happened, then the cache.
public sealed class ConversationManagement(
    ConversationQueries conversations, MessageQueries messages, ConversationCache cache)
{
    public async Task<MessageView?> EditMessageAsync(long conversationId, long messageId, long userId, string body)
    {
        var edited = await messages.EditAsync(conversationId, messageId, userId, body);
        if (edited is not null)
        {
            await cache.ConversationChangedAsync(conversationId);
        }

        return edited;
    }

    public async Task<MessageView?> DeleteMessageAsync(long conversationId, long messageId, long userId, bool isOwner)
    {
        var deleted = await messages.DeleteAsync(conversationId, messageId, userId, anyoneMayDelete: isOwner);
        if (deleted is not null)
        {
            await cache.ConversationChangedAsync(conversationId);
        }

        return deleted;
    }

    public async Task<IReadOnlyList<long>> AddMembersAsync(ConversationDetails conversation, long actorId, IReadOnlyList<Person> people)
    {
        var added = await conversations.AddMembersAsync(conversation.Id, people.Select(p => p.Id).ToList());
        if (added.Count > 0)
        {
            var names = people.Where(p => added.Contains(p.Id)).Select(p => p.DisplayName);
            await cache.ConversationChangedAsync(conversation.Id);
            await SystemLineAsync(conversation.Id, actorId, $"{NameOf(conversation, actorId)} added {JoinNames(names)}.");
        }

        return added;
    }

    public async Task<bool> JoinAsync(long conversationId, long userId, string displayName)
    {
        var added = await conversations.AddMembersAsync(conversationId, [userId]);
        if (added.Count == 0)
        {
            return false;
        }

        await cache.ConversationChangedAsync(conversationId);
        await SystemLineAsync(conversationId, userId, $"{displayName} joined with an invite link.");
        return true;
    }

    public async Task<RemovalOutcome> RemoveMemberAsync(ConversationDetails conversation, long actorId, long memberId)
    {
        var outcome = await conversations.RemoveMemberAsync(conversation.Id, memberId);
        if (outcome == RemovalOutcome.NotAMember)
        {
            return outcome;
        }

        await cache.ConversationChangedAsync(conversation.Id, alsoTell: [memberId]);
        if (outcome == RemovalOutcome.Removed)
        {
            var text = actorId == memberId
                ? $"{NameOf(conversation, memberId)} left."
                : $"{NameOf(conversation, actorId)} removed {NameOf(conversation, memberId)}.";
            await SystemLineAsync(conversation.Id, actorId, text);
        }

        return outcome;
    }

    public async Task RenameAsync(ConversationDetails conversation, long actorId, string title)
    {
        await conversations.RenameAsync(conversation.Id, title);
        await cache.ConversationChangedAsync(conversation.Id);
        await SystemLineAsync(conversation.Id, actorId, $"{NameOf(conversation, actorId)} renamed the group to “{title}”.");
    }

    public async Task DeleteAsync(long conversationId)
    {
        var formerMembers = await conversations.DeleteAsync(conversationId);
        await cache.ConversationChangedAsync(conversationId, alsoTell: formerMembers);
    }

    public async Task HideAsync(long conversationId, long userId)
    {
        await conversations.HideAsync(conversationId, userId);
        await cache.TouchInboxesAsync([userId]);
    }

    private async Task SystemLineAsync(long conversationId, long actorId, string text)
    {
        var (line, _) = await messages.InsertAsync(conversationId, actorId, MessageKind.System, text, clientMessageId: null);
        await cache.MessageAddedAsync(line);
    }

    private static string NameOf(ConversationDetails conversation, long userId) =>
        conversation.Members.FirstOrDefault(m => m.UserId == userId)?.DisplayName ?? "Someone";

    private static string JoinNames(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 1 ? string.Join(string.Empty, list) : $"{string.Join(", ", list[..^1])} and {list[^1]}";
    }
}
