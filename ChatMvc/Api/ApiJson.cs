using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;

namespace ChatMvc.Api;

// The shapes the API answers with. Times are ISO 8601 in UTC.
public sealed record PersonJson(long Id, string DisplayName, string? Email)
{
    public static PersonJson From(Person person) => new(person.Id, person.DisplayName, person.Email);
}

public sealed record MeJson(long Id, string DisplayName, string? Email, bool EmailConfirmed)
{
    public static MeJson From(ChatUser user) => new(user.Id, user.DisplayName, user.Email, user.EmailConfirmed);
}

public sealed record PagedPeopleJson(IReadOnlyList<PersonJson> Items, PeoplePagingJson Paging);

public sealed record PeoplePagingJson(int Page, int PageSize, bool HasMore);

// Id is null once the sender's account is deleted.
public sealed record SenderJson(long? Id, string DisplayName);

public sealed record ImageJson(string Url, string ThumbnailUrl, int Width, int Height, string? Alt);

public sealed record MessageJson(
    long Id, long ConversationId, string Kind, SenderJson Sender, string? Body, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt,
    bool Deleted, ImageJson? Image)
{
    public static MessageJson From(MessageView message) => new(
        message.Id,
        message.ConversationId,
        message.Kind,
        new SenderJson(message.SenderId, message.DisplaySender),
        message.Body,
        Clock.OffsetFromUnixMs(message.CreatedAt),
        message.EditedAt is { } edited ? Clock.OffsetFromUnixMs(edited) : null,
        message.DeletedAt is not null,
        null);
}

// Older: pass as `before` for the page before this one (null when this page reaches the first message).
// Newer: pass as `after` for anything newer than this page (null only when an older page came back empty).
public sealed record MessagePagingJson(int Limit, long? Older, long? Newer);

public sealed record MessagePageJson(IReadOnlyList<MessageJson> Items, MessagePagingJson Paging);

public sealed record LastMessageJson(long Id, string Kind, SenderJson Sender, string? Body, bool Deleted);

public sealed record ConversationSummaryJson(
    long Id, string Kind, string Title, long Unread, DateTimeOffset LastActivityAt, LastMessageJson? LastMessage)
{
    public static ConversationSummaryJson From(ConversationSummary summary) => new(
        summary.Id,
        summary.Kind,
        summary.DisplayTitle,
        summary.Unread,
        Clock.OffsetFromUnixMs(summary.LastActivityAt),
        summary.LastMessageId is { } id
            ? new LastMessageJson(
                id,
                summary.LastMessageKind ?? MessageKind.Text,
                new SenderJson(summary.LastMessageSenderId, summary.LastMessageSenderId is null
                    ? MessageView.DeletedUserName
                    : summary.LastMessageSenderName ?? MessageView.DeletedUserName),
                summary.LastMessageBody,
                summary.LastMessageDeletedAt is not null)
            : null);
}

public sealed record ConversationListJson(IReadOnlyList<ConversationSummaryJson> Items);

public sealed record MemberJson(long Id, string DisplayName, string Role, DateTimeOffset JoinedAt);

public sealed record ConversationJson(long Id, string Kind, string Title, IReadOnlyList<MemberJson> Members)
{
    public static ConversationJson From(ConversationDetails details, long viewerId) => new(
        details.Id,
        details.Kind,
        details.TitleFor(viewerId),
        details.Members.Select(m => new MemberJson(m.UserId, m.DisplayName, m.Role, Clock.OffsetFromUnixMs(m.JoinedAt))).ToList());
}

public sealed record InviteJson(string Token, string Url);
