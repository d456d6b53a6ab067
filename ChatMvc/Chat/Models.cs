namespace ChatMvc.Chat;

public static class ConversationKind
{
    public const string Direct = "direct";
    public const string Group = "group";
}

public static class MessageKind
{
    public const string Text = "text";
    public const string System = "system";
}

// How much of a conversation a member hears of: its unread count, its mark in the list, desktop notices.
public static class NotificationLevels
{
    public const string All = "all";
    public const string Mentions = "mentions";
    public const string None = "none";

    public static readonly IReadOnlyList<string> Values = [All, Mentions, None];

    // Everything in a direct conversation, where every message is to the member; mentions in a group.
    public static string For(string kind, string? chosen) => chosen ?? (kind == ConversationKind.Group ? Mentions : All);

    public static string Describe(string level) => level switch
    {
        All => "Everything",
        Mentions => "Mentions only",
        _ => "Nothing",
    };
}

public static class MemberRoles
{
    public const string Owner = "owner";
    public const string Member = "member";
}

// A message as the views render it; also the shape cached in Redis, so it carries what the partial needs.
public sealed record MessageView
{
    public const string DeletedUserName = "deleted user";

    public long Id { get; init; }

    public long ConversationId { get; init; }

    public long? SenderId { get; init; }

    public string? SenderName { get; init; }

    public string Kind { get; init; } = MessageKind.Text;

    public string? Body { get; init; }

    public long CreatedAt { get; init; }

    public long? EditedAt { get; init; }

    public long? DeletedAt { get; init; }

    public long ChangeVersion { get; init; }

    public long? SenderAvatarImageId { get; init; }

    // Posted through a bot's webhook: every face says so, next to the bot's name.
    public bool SenderIsBot { get; init; }

    public long? ImageId { get; init; }

    // What the author wrote about the photo; null until they do.
    public string? ImageAlt { get; init; }

    public int? ThumbWidth { get; init; }

    public int? ThumbHeight { get; init; }

    // The full-size (display) variant's, for the API.
    public int? ImageWidth { get; init; }

    public int? ImageHeight { get; init; }

    // Between the names in MentionNames: a control character, which names cannot hold.
    public const char MentionNameSeparator = '\u001F';

    // True when @everyone reached every member (the ids are in MentionIds like any other mention).
    public bool MentionsEveryone { get; init; }

    // The sender's account was deactivated by an administrator: the messages stay under their name, marked.
    public bool SenderDeactivated { get; init; }

    // The mentioned people's ids, comma-separated, as the database joins them; null when nobody is mentioned.
    public string? MentionIds { get; init; }

    // The names as typed after @, joined by MentionNameSeparator; people reached only by @everyone have none.
    public string? MentionNames { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<long> Mentions => string.IsNullOrEmpty(MentionIds)
        ? []
        : MentionIds.Split(',').Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> MentionedNames => string.IsNullOrEmpty(MentionNames) ? [] : MentionNames.Split(MentionNameSeparator);

    public bool MentionsUser(long userId) => Mentions.Contains(userId);

    // The message this one replies to (same conversation), with what its quote shows.
    public long? ReplyToId { get; init; }

    public long? ReplyToSenderId { get; init; }

    public string? ReplyToSenderName { get; init; }

    public string? ReplyToBody { get; init; }

    public long? ReplyToImageId { get; init; }

    public long? ReplyToDeletedAt { get; init; }

    // Grouped by emoji, in the order each was first used.
    public IReadOnlyList<ReactionGroup> Reactions { get; init; } = [];

    // A file sent with the message (any type, or a video or sound the page plays): see Files/.
    public long? FileId { get; init; }

    public string? FileName { get; init; }

    public string? FileContentType { get; init; }

    public string? FileKind { get; init; }

    public long? FileSize { get; init; }

    public int? FileWidth { get; init; }

    public int? FileHeight { get; init; }

    public long? FileLengthMs { get; init; }

    public long? FilePosterImageId { get; init; }

    // The full-size photo's bytes, for the API's attachment.
    public long? ImageSize { get; init; }

    public string DisplaySender => SenderId is null ? DeletedUserName : SenderName ?? DeletedUserName;

    // The photo's text alternative: the author's words, or at least whose photo it is.
    public string ImageDescription => string.IsNullOrWhiteSpace(ImageAlt) ? $"Photo from {DisplaySender}" : ImageAlt;

    public DateTime CreatedUtc => Data.Clock.FromUnixMs(CreatedAt);

    // What a reply to this message quotes of it.
    public MessageQuote AsQuote => new(Id, DisplaySender, MessageQuote.ExcerptOf(Body, ImageId, DeletedAt));

    public MessageQuote? Quote => ReplyToId is { } id
        ? new MessageQuote(
            id,
            ReplyToSenderId is null ? DeletedUserName : ReplyToSenderName ?? DeletedUserName,
            MessageQuote.ExcerptOf(ReplyToBody, ReplyToImageId, ReplyToDeletedAt))
        : null;
}

// What a reply shows of the message it answers.
public sealed record MessageQuote(long Id, string SenderName, string Excerpt)
{
    public const int ExcerptLength = 100;

    public const string DeletedExcerpt = "This message was deleted.";

    public const string PhotoExcerpt = "A photo.";

    public static string ExcerptOf(string? body, long? imageId, long? deletedAt) =>
        deletedAt is not null ? DeletedExcerpt
        : !string.IsNullOrWhiteSpace(body) ? MessageText.Preview(body, ExcerptLength)
        : imageId is not null ? PhotoExcerpt
        : string.Empty;
}

public sealed record Reactor(long UserId, string DisplayName);

// One emoji (or word) on a message and the people who reacted with it, first first.
public sealed record ReactionGroup(string Emoji, IReadOnlyList<Reactor> People)
{
    public int Count => People.Count;

    public bool IsMine(long userId) => People.Any(p => p.UserId == userId);

    // "Ann, Bo and you": the viewer is "you", so a screen reader hears whether the reaction is theirs.
    public string NamesFor(long viewerId)
    {
        var names = People.Select(p => p.UserId == viewerId ? "you" : p.DisplayName).ToList();
        return names.Count <= 1 ? string.Join(string.Empty, names) : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }
}

// What a poll compares against the client's cursor: the newest message id and the change counter.
public readonly record struct ConversationHead(long LastMessageId, long ChangeCounter)
{
    public override string ToString() => $"{LastMessageId}:{ChangeCounter}";

    // A window whose cursor is (after, changeCounter) has everything up to this head.
    public bool IsSeenFrom(long after, long changeCounter) => LastMessageId <= after && ChangeCounter == changeCounter;

    public static ConversationHead? Parse(string? value)
    {
        var parts = value?.Split(':');
        return parts is [var id, var counter] && long.TryParse(id, out var lastId) && long.TryParse(counter, out var changes)
            ? new ConversationHead(lastId, changes)
            : null;
    }
}

public sealed record ConversationSummary
{
    public long Id { get; init; }

    public string Kind { get; init; } = ConversationKind.Direct;

    public string? Title { get; init; }

    public string? OtherMemberName { get; init; }

    public long LastActivityAt { get; init; }

    public long? LastMessageId { get; init; }

    public string? LastMessageKind { get; init; }

    public string? LastMessageBody { get; init; }

    public long? LastMessageSenderId { get; init; }

    public string? LastMessageSenderName { get; init; }

    public long? LastMessageDeletedAt { get; init; }

    public long? LastMessageImageId { get; init; }

    public long? OtherMemberAvatarImageId { get; init; }

    // Unread messages from others, and those of them that mention the user, whatever the level.
    public long UnreadMessages { get; init; }

    public long UnreadMentions { get; init; }

    // As the member chose it; null keeps the kind's default.
    public string? NotificationLevel { get; init; }

    public string Level => NotificationLevels.For(Kind, NotificationLevel);

    // What the list counts, by the level: everything, only mentions, or nothing.
    public long Unread => Level switch
    {
        NotificationLevels.All => UnreadMessages,
        NotificationLevels.Mentions => UnreadMentions,
        _ => 0,
    };

    // The mention mark: unread mentions, unless the member asked to hear nothing.
    public long MarkedMentions => Level == NotificationLevels.None ? 0 : UnreadMentions;

    public string DisplayTitle => Kind == ConversationKind.Group
        ? Title ?? "Group"
        : OtherMemberName ?? MessageView.DeletedUserName;

    public DateTime LastActivityUtc => Data.Clock.FromUnixMs(LastActivityAt);
}

public sealed record Member
{
    public long UserId { get; init; }

    public string DisplayName { get; init; } = string.Empty;

    public string Role { get; init; } = MemberRoles.Member;

    public long JoinedAt { get; init; }

    public long LastReadMessageId { get; init; }

    // As chosen; null keeps the conversation kind's default (NotificationLevels.For).
    public string? NotificationLevel { get; init; }
}

public sealed record ConversationDetails
{
    public long Id { get; init; }

    public string Kind { get; init; } = ConversationKind.Direct;

    public string? Title { get; init; }

    public IReadOnlyList<Member> Members { get; init; } = [];

    public bool EveryoneOwnersOnly { get; init; }

    // @everyone is for groups, and for their owners only once an owner says so.
    public bool MayMentionEveryone(long userId) => Kind == ConversationKind.Group
        && (!EveryoneOwnersOnly || Members.Any(m => m.UserId == userId && m.Role == MemberRoles.Owner));

    public string TitleFor(long viewerId) => Kind == ConversationKind.Group
        ? Title ?? "Group"
        : Members.FirstOrDefault(m => m.UserId != viewerId)?.DisplayName ?? MessageView.DeletedUserName;
}

public sealed record Person
{
    public long Id { get; init; }

    public string DisplayName { get; init; } = string.Empty;

    public long? AvatarImageId { get; init; }
}

public sealed record Invite
{
    public long Id { get; init; }

    public long ConversationId { get; init; }

    public string? ConversationTitle { get; init; }

    public long CreatedAt { get; init; }

    public long? ExpiresAt { get; init; }

    public long? RevokedAt { get; init; }

    public InviteState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? InviteState.Revoked
        : ExpiresAt is { } expires && expires <= now.ToUnixTimeMilliseconds() ? InviteState.Expired
        : InviteState.Valid;
}

public enum InviteState
{
    Valid,
    Expired,
    Revoked,
}

// Who may enter a conversation and who may manage it: what the cache keeps per conversation.
public sealed record MemberRole
{
    public long UserId { get; init; }

    public string Role { get; init; } = MemberRoles.Member;
}

public sealed record Bot
{
    public long Id { get; init; }

    public long ConversationId { get; init; }

    // The bot's own account, which its messages name as their sender.
    public long UserId { get; init; }

    public string Name { get; init; } = string.Empty;

    public long? CreatedBy { get; init; }

    public string? CreatedByName { get; init; }

    public long CreatedAt { get; init; }

    public long? RevokedAt { get; init; }
}
