using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Images;
using ChatMvc.Security;

namespace ChatMvc.Api;

// The shapes the API answers with. Times are ISO 8601 in UTC.
// Image URLs are relative to the site and take the same credentials as the rest of the API.
public static class ApiUrls
{
    public static string? Avatar(long userId, long? avatarImageId) => avatarImageId is null ? null : $"/api/v1/users/{userId}/image";

    public static string Image(long imageId, string variant) => $"/api/v1/images/{imageId}/{variant}";
}

// ImageUrl is null for someone without a picture: show their initials. No email: an address is shown only to
// its owner (MeJson).
public sealed record PersonJson(long Id, string DisplayName, string? ImageUrl)
{
    public static PersonJson From(Person person) =>
        new(person.Id, person.DisplayName, ApiUrls.Avatar(person.Id, person.AvatarImageId));
}

// TimeZone is the IANA zone the person picked, else the server's App:DefaultTimeZone. IsAdmin: the person may use
// /api/v1/admin.
public sealed record MeJson(long Id, string DisplayName, string? Email, bool EmailConfirmed, string? ImageUrl, string TimeZone, bool IsAdmin)
{
    public static MeJson From(ChatUser user, AppOptions app) =>
        new(
            user.Id, user.DisplayName, user.Email, user.EmailConfirmed, ApiUrls.Avatar(user.Id, user.AvatarImageId), user.TimeZone ?? app.DefaultTimeZone,
            user.IsAdmin && user.DeactivatedAt is null);
}

public sealed record PagedPeopleJson(IReadOnlyList<PersonJson> Items, PeoplePagingJson Paging);

public sealed record PeoplePagingJson(int Page, int PageSize, bool HasMore);

// Id is null once the sender's account is deleted. Deactivated: an administrator deactivated the account.
// Bot: the message came through a bot's webhook.
public sealed record SenderJson(long? Id, string DisplayName, bool Deactivated = false, bool Bot = false);

// Width and height are the full-size image's (url); alt is the author's description or "Photo from NAME".
public sealed record ImageJson(string Url, string ThumbnailUrl, int Width, int Height, string Alt)
{
    public static ImageJson? From(MessageView message) => message.ImageId is { } id && message.DeletedAt is null
        ? new ImageJson(
            ApiUrls.Image(id, ImageVariants.Display), ApiUrls.Image(id, ImageVariants.Thumb),
            message.ImageWidth ?? 0, message.ImageHeight ?? 0, message.ImageDescription)
        : null;
}

// One reaction on a message: how many people reacted with it, and whether the caller is one of them.
public sealed record ReactionJson(string Emoji, int Count, bool Mine);

// The message a reply answers; its excerpt says so when it was deleted.
public sealed record ReplyToJson(long Id, string SenderName, string Excerpt);

// Reactions and replyTo are as the caller (viewerId) sees them: a deleted message has no reactions.
public sealed record MessageJson(
    long Id, long ConversationId, string Kind, SenderJson Sender, string? Body, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt,
    bool Deleted, ImageJson? Image, IReadOnlyList<ReactionJson> Reactions, ReplyToJson? ReplyTo, IReadOnlyList<long> Mentions,
    AttachmentJson? Attachment)
{
    public static MessageJson From(MessageView message, long viewerId) => new(
        message.Id,
        message.ConversationId,
        message.Kind,
        new SenderJson(message.SenderId, message.DisplaySender, message.SenderDeactivated, message.SenderIsBot),
        message.Body,
        Clock.OffsetFromUnixMs(message.CreatedAt),
        message.EditedAt is { } edited ? Clock.OffsetFromUnixMs(edited) : null,
        message.DeletedAt is not null,
        ImageJson.From(message),
        message.DeletedAt is null ? message.Reactions.Select(r => new ReactionJson(r.Emoji, r.Count, r.IsMine(viewerId))).ToList() : [],
        message.Quote is { } quote ? new ReplyToJson(quote.Id, quote.SenderName, quote.Excerpt) : null,
        message.Mentions,
        AttachmentJson.From(message));
}

// Older: pass as `before` for the page before this one (null when this page reaches the first message).
// Newer: pass as `after` for anything newer than this page (null only when an older page came back empty).
// Version: the conversation's change counter (null for an older page); pass it as `version` with `after` to get the
// messages edited or deleted since in changed.
public sealed record MessagePagingJson(int Limit, long? Older, long? Newer, long? Version);

// Changed: earlier messages edited or deleted since the `version` sent with `after`, as they are now (else empty).
public sealed record MessagePageJson(IReadOnlyList<MessageJson> Items, IReadOnlyList<MessageJson> Changed, MessagePagingJson Paging);

public sealed record LastMessageJson(long Id, string Kind, SenderJson Sender, string? Body, bool Deleted);

// Unread follows the notification level (everything, mentions only, nothing); unreadMentions counts the unread
// messages that mention the caller, whatever the level.
public sealed record ConversationSummaryJson(
    long Id, string Kind, string Title, long Unread, DateTimeOffset LastActivityAt, LastMessageJson? LastMessage,
    long UnreadMentions, string NotificationLevel)
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
            : null,
        summary.UnreadMentions,
        summary.Level);
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

public sealed record SearchHitJson(MessageJson Message, long ConversationId, string ConversationTitle);

// Next: pass as cursor for the next, older page of results; null on the last page.
public sealed record SearchPagingJson(int Limit, long? Next);

public sealed record SearchPageJson(IReadOnlyList<SearchHitJson> Items, SearchPagingJson Paging)
{
    public static SearchPageJson From(SearchResults results, long viewerId) => new(
        results.Hits.Select(hit => new SearchHitJson(MessageJson.From(hit.Message, viewerId), hit.Message.ConversationId, hit.ConversationTitle)).ToList(),
        new SearchPagingJson(results.Limit, results.Next));
}

public sealed record NotificationLevelJson(string Level);

// Next: pass as before for the next, older page; null on the last page.
public sealed record MentionsPagingJson(int Limit, long? Next);

public sealed record MentionsPageJson(IReadOnlyList<SearchHitJson> Items, MentionsPagingJson Paging);
