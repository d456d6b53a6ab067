using ChatMvc.Data;
using ChatMvc.Files;
using ChatMvc.Images;

namespace ChatMvc.Chat;

// Changes to messages and memberships: the database first, then a system line in the log where people
// should see what happened, then the cache.
public sealed class ConversationManagement(
    ConversationQueries conversations, MessageQueries messages, ConversationCache cache, ImageService images, FileUploads files)
{
    public const int MaxTitleLength = 100;

    // From the composer or the API. With a photo the text is optional. A retry with the same client message id
    // gets the first message back, and a photo sent again with it is discarded. A reply names a message of the same
    // conversation (deleted or not: its quote then says so).
    public async Task<SendOutcome> SendAsync(
        long conversationId, long senderId, string? body, string? clientMessageId, Stream? photo = null, string? photoAlt = null,
        long? replyToId = null, CancellationToken cancellationToken = default)
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

        if (replyToId is { } repliedId && await messages.FindAsync(conversationId, repliedId) is null)
        {
            return SendOutcome.Refuse(
                SendRefusal.ReplyTo, $"There is no message {repliedId} in this conversation to reply to. Reply to a message of this conversation.");
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

        var mentions = await MentionsInAsync(conversationId, senderId, text);
        var (message, created) = await messages.InsertAsync(conversationId, senderId, MessageKind.Text, text, clientMessageId, image?.Id, alt, replyToId, mentions);
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

    // A file already in the store (FileUploads), with an optional text. The message is stored only after its file;
    // when the text is refused, or a retry with the same client message id finds the first message, the file is let go.
    public async Task<SendOutcome> SendFileAsync(long conversationId, long senderId, string? body, string? clientMessageId, StoredFile file)
    {
        var text = MessageText.NormalizeOptional(body, out var error);
        if (error is not null)
        {
            await files.DiscardAsync(file.Id);
            return SendOutcome.Refuse(SendRefusal.Body, error);
        }

        var (message, created) = await messages.InsertAsync(conversationId, senderId, MessageKind.Text, text, clientMessageId, fileId: file.Id);
        if (created)
        {
            await cache.MessageAddedAsync(message);
        }
        else
        {
            await files.DiscardAsync(file.Id);
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
            await cache.TouchInboxesAsync(id, [creatorId, .. memberIds]);
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

    // Only the sender edits, and only a text message that is still there.
    public async Task<Outcome<MessageView>> EditableAsync(long conversationId, long messageId, long userId)
    {
        var message = await messages.FindAsync(conversationId, messageId);
        if (message is null || message.Kind != MessageKind.Text || message.DeletedAt is not null)
        {
            return MessageNotFound(messageId);
        }

        return message.SenderId == userId ? message : new Outcome<MessageView>.Forbidden("Only the sender can edit a message.");
    }

    // A field left null keeps its value. A photo message may keep only its photo, and its description can be
    // added, changed or cleared (empty); a message without a photo has no description, so only an empty one is taken.
    public async Task<Outcome<MessageView>> EditMessageAsync(long conversationId, long messageId, long userId, string? body, string? imageAlt)
    {
        var found = await EditableAsync(conversationId, messageId, userId);
        if (found is not Outcome<MessageView>.Done(var original))
        {
            return found;
        }

        if (body is null && imageAlt is null)
        {
            return Outcome.Invalid<MessageView>("body", "Send the new body, or for a photo its new alt, or both.");
        }

        var hasPhoto = original.ImageId is not null;
        var newBody = body ?? original.Body;
        var text = hasPhoto || original.FileId is not null ? MessageText.NormalizeOptional(newBody, out var error) : MessageText.Normalize(newBody, out error);
        List<FieldError> errors = error is null ? [] : [new("body", error)];
        string? alt = null;
        if (hasPhoto)
        {
            alt = MessageText.NormalizeAlt(imageAlt ?? original.ImageAlt, out var altError);
            if (altError is not null)
            {
                errors.Add(new("alt", altError));
            }
        }
        else if (!string.IsNullOrWhiteSpace(imageAlt))
        {
            errors.Add(new("alt", "Only a message with a photo has a description."));
        }

        if (errors.Count > 0)
        {
            return new Outcome<MessageView>.Invalid(errors);
        }

        var edited = await messages.EditAsync(conversationId, messageId, userId, text, alt, await MentionsInAsync(conversationId, userId, text));
        if (edited is null)
        {
            return MessageNotFound(messageId);
        }

        await cache.ConversationChangedAsync(conversationId);
        return edited;
    }

    // What the delete confirmation shows: a text message that is still there, to its sender or the group's owner.
    public async Task<Outcome<MessageView>> DeletableAsync(Membership deleter, long messageId)
    {
        var message = await messages.FindAsync(deleter.ConversationId, messageId);
        if (message is null || message.Kind != MessageKind.Text || message.DeletedAt is not null)
        {
            return MessageNotFound(messageId);
        }

        return message.SenderId == deleter.UserId || deleter.IsOwner
            ? message
            : new Outcome<MessageView>.Forbidden("Only the sender, or the group's owner, can delete this message.");
    }

    // The sender may delete a message, and so may a group's owner.
    public async Task<Outcome<MessageView>> DeleteMessageAsync(Membership deleter, long messageId)
    {
        var deleted = await messages.DeleteAsync(deleter.ConversationId, messageId, deleter.UserId, anyoneMayDelete: deleter.IsOwner);
        if (deleted is not null)
        {
            await cache.ConversationChangedAsync(deleter.ConversationId);
            return deleted;
        }

        return await messages.FindAsync(deleter.ConversationId, messageId) is { DeletedAt: null, Kind: MessageKind.Text }
            ? new Outcome<MessageView>.Forbidden("Only the sender, or the group's owner, can delete this message.")
            : MessageNotFound(messageId);
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

    // Leaving is removing oneself, from a group only; the owner may remove anyone else.
    public async Task<Outcome<RemovalOutcome>> RemoveAsync(ConversationDetails conversation, Membership actor, long memberId)
    {
        if (memberId == actor.UserId && conversation.Kind != ConversationKind.Group)
        {
            return new Outcome<RemovalOutcome>.Forbidden("A direct conversation cannot be left. Deleting it hides it from your list.");
        }

        if (memberId != actor.UserId && !actor.IsOwner)
        {
            return new Outcome<RemovalOutcome>.Forbidden("Only the group's owner can remove other members.");
        }

        var outcome = await RemoveMemberAsync(conversation, actor.UserId, memberId);
        return outcome == RemovalOutcome.NotAMember
            ? new Outcome<RemovalOutcome>.NotFound($"User {memberId} is not a member of this conversation.")
            : outcome;
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

    public async Task<Outcome<string>> RenameAsync(ConversationDetails conversation, long actorId, string? title)
    {
        if (NormalizeTitle(title, out var error) is not { } trimmed)
        {
            return Outcome.Invalid<string>("title", error!);
        }

        await conversations.RenameAsync(conversation.Id, trimmed);
        await cache.ConversationChangedAsync(conversation.Id);
        await SystemLineAsync(conversation.Id, actorId, $"{NameOf(conversation, actorId)} renamed the group to “{trimmed}”.");
        return trimmed;
    }

    public async Task DeleteAsync(long conversationId)
    {
        var formerMembers = await conversations.DeleteAsync(conversationId);
        await cache.ConversationChangedAsync(conversationId, alsoTell: formerMembers);
    }

    // The member's own choice: only their list (its counts and marks) changes.
    public async Task<Outcome<string>> SetNotificationLevelAsync(Membership member, string? level)
    {
        if (level is null || !NotificationLevels.Values.Contains(level))
        {
            return Outcome.Invalid<string>("level", "Choose a notification level: \"all\", \"mentions\" or \"none\".");
        }

        await conversations.SetNotificationLevelAsync(member.ConversationId, member.UserId, level);
        await cache.DetailsChangedAsync(member.ConversationId);
        await cache.TouchInboxesAsync(member.ConversationId, [member.UserId]);
        return level;
    }

    // Whether only the group's owners may reach everyone with @everyone; the caller has checked the role.
    public async Task<Outcome<bool>> RestrictEveryoneAsync(ConversationDetails conversation, bool ownersOnly)
    {
        if (conversation.Kind != ConversationKind.Group)
        {
            return new Outcome<bool>.Forbidden("Only a group has @everyone.");
        }

        await conversations.SetEveryoneOwnersOnlyAsync(conversation.Id, ownersOnly);
        await cache.DetailsChangedAsync(conversation.Id);
        return ownersOnly;
    }

    // Hidden until a new message arrives: a direct conversation cannot be left, so this is how it goes from the list.
    public async Task<Outcome<bool>> HideAsync(ConversationDetails conversation, long userId)
    {
        if (conversation.Kind != ConversationKind.Direct)
        {
            return new Outcome<bool>.Forbidden("Only a direct conversation can be hidden. A group can be left.");
        }

        await conversations.HideAsync(conversation.Id, userId);
        await cache.TouchInboxesAsync(conversation.Id, [userId]);
        return true;
    }

    // Taking a conversation off one's list: a direct one is hidden, a group is deleted for everyone, by its owner only.
    public async Task<Outcome<bool>> HideOrDeleteAsync(ConversationDetails conversation, Membership member)
    {
        if (conversation.Kind == ConversationKind.Direct)
        {
            return await HideAsync(conversation, member.UserId);
        }

        if (!member.IsOwner)
        {
            return new Outcome<bool>.Forbidden("Only the group's owner can delete it. To leave it, remove yourself from its members.");
        }

        await DeleteAsync(conversation.Id);
        return true;
    }

    private async Task SystemLineAsync(long conversationId, long actorId, string text)
    {
        var (line, _) = await messages.InsertAsync(conversationId, actorId, MessageKind.System, text, clientMessageId: null);
        await cache.MessageAddedAsync(line);
    }

    // Only a text with an @ costs the read of the members.
    // The members' names from the cache, as the window shows them: a send with a mention costs no extra query.
    private async Task<ResolvedMentions> MentionsInAsync(long conversationId, long senderId, string? text) =>
        text?.Contains('@') == true && await cache.DetailsAsync(conversationId) is { } details
            ? Mentions.Resolve(text, details.Members, senderId, details.MayMentionEveryone(senderId))
            : ResolvedMentions.None;

    private static Outcome<MessageView>.NotFound MessageNotFound(long messageId) =>
        new($"There is no message {messageId} in this conversation, or it was deleted.");

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
    ReplyTo,
    File,
}

public sealed record SendOutcome(
    MessageView? Message, bool Created, SendRefusal? Refusal = null, string? Error = null, RejectionReason? PhotoRejection = null,
    FileRefusal? FileRejection = null)
{
    public static SendOutcome Refuse(SendRefusal refusal, string error, RejectionReason? photoRejection = null, FileRefusal? fileRejection = null) =>
        new(null, false, refusal, error, photoRejection, fileRejection);
}
