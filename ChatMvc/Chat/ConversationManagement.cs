using ChatMvc.Data;
using ChatMvc.Images;

namespace ChatMvc.Chat;

// Changes to messages and memberships: the database first, then a system line in the log where people
// should see what happened, then the cache.
public sealed class ConversationManagement(
    ConversationQueries conversations, MessageQueries messages, ConversationCache cache, ImageService images)
{
    public const int MaxTitleLength = 100;

    // From the composer or the API. With a photo the text is optional. A retry with the same client message id
    // gets the first message back, and a photo sent again with it is discarded.
    public async Task<SendOutcome> SendAsync(
        long conversationId, long senderId, string? body, string? clientMessageId, Stream? photo = null, string? photoAlt = null,
        CancellationToken cancellationToken = default)
    {
        var text = photo is null ? MessageText.Normalize(body, out var error) : MessageText.NormalizeOptional(body, out error);
        var alt = MessageText.NormalizeAlt(photoAlt, out var altError);
        if (error is not null)
        {
            return SendOutcome.Refuse(SendRefusal.Body, error);
        }

        if (altError is not null)
        {
            return SendOutcome.Refuse(SendRefusal.Alt, altError);
        }

        StoredImage? image = null;
        if (photo is not null)
        {
            var upload = await images.StoreMessageImageAsync(conversationId, senderId, photo, cancellationToken);
            if (upload.Rejection is { } rejection)
            {
                return SendOutcome.Refuse(SendRefusal.Photo, rejection.Message, rejection.Reason);
            }

            image = upload.Image;
        }

        var (message, created) = await messages.InsertAsync(conversationId, senderId, MessageKind.Text, text, clientMessageId, image?.Id, alt);
        if (created)
        {
            await cache.MessageAddedAsync(message);
        }
        else if (image is not null)
        {
            await images.DiscardAsync(image.Id);
        }

        return new SendOutcome(message, created);
    }

    // One other person and no title is a direct conversation (the existing one when there is one); a title
    // always makes a group, so a group can start with one other person and grow.
    public async Task<StartOutcome> StartAsync(long creatorId, IEnumerable<long> participantIds, string? title)
    {
        var memberIds = participantIds.Where(id => id != creatorId).Distinct().ToList();
        var trimmedTitle = title?.Trim();
        var refusal = memberIds.Count switch
        {
            0 => StartOutcome.Refuse(StartRefusal.NoParticipants, "Choose at least one person to talk to."),
            > 1 when string.IsNullOrEmpty(trimmedTitle) => StartOutcome.Refuse(StartRefusal.GroupWithoutTitle, "A group needs a title."),
            _ when trimmedTitle?.Length > MaxTitleLength =>
                StartOutcome.Refuse(StartRefusal.TitleTooLong, $"A title can be at most {MaxTitleLength} characters."),
            _ when trimmedTitle is not null && MessageText.NameError(trimmedTitle, "A title") is { } titleError =>
                StartOutcome.Refuse(StartRefusal.UnreadableTitle, titleError),
            _ => null,
        };
        if (refusal is null && !await conversations.UsersExistAsync(memberIds))
        {
            refusal = StartOutcome.Refuse(StartRefusal.UnknownParticipant, "One of the people you chose no longer has an account. Search again.");
        }

        if (refusal is not null)
        {
            return refusal;
        }

        var (id, created) = memberIds.Count == 1 && string.IsNullOrEmpty(trimmedTitle)
            ? await conversations.GetOrCreateDirectAsync(creatorId, memberIds[0])
            : (await conversations.CreateGroupAsync(creatorId, trimmedTitle!, memberIds), true);
        if (created)
        {
            // Through the same invalidation as every other change: whatever the cache may hold under the new id
            // (such as a miss stored before an upgrade) goes, and the members' lists hear of it.
            await cache.ConversationChangedAsync(id);
        }
        else
        {
            await cache.TouchInboxesAsync([creatorId, .. memberIds]);
        }

        return new StartOutcome(id, created);
    }

    // A group's new title as stored: trimmed. Null, with the reason, when it is empty, too long or not a plain name.
    public static string? NormalizeTitle(string? title, out string? error)
    {
        var text = title?.Trim() ?? string.Empty;
        error = text.Length is 0 or > MaxTitleLength ? $"A title needs 1 to {MaxTitleLength} characters."
            : MessageText.NameError(text, "A title");
        return error is null ? text : null;
    }

    public async Task<MessageView?> EditMessageAsync(long conversationId, long messageId, long userId, string? body, string? imageAlt = null)
    {
        var edited = await messages.EditAsync(conversationId, messageId, userId, body, imageAlt);
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

public enum StartRefusal
{
    NoParticipants,
    GroupWithoutTitle,
    TitleTooLong,
    UnreadableTitle,
    UnknownParticipant,
}

public sealed record StartOutcome(long ConversationId, bool Created, StartRefusal? Refusal = null, string? Error = null)
{
    public static StartOutcome Refuse(StartRefusal refusal, string error) => new(0, false, refusal, error);
}

public enum SendRefusal
{
    Body,
    Alt,
    Photo,
}

public sealed record SendOutcome(MessageView? Message, bool Created, SendRefusal? Refusal = null, string? Error = null, RejectionReason? PhotoRejection = null)
{
    public static SendOutcome Refuse(SendRefusal refusal, string error, RejectionReason? photoRejection = null) =>
        new(null, false, refusal, error, photoRejection);
}
