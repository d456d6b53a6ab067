namespace ChatMvc.Cli;

// The API's answers as the client reads them (see the server's ApiJson). Times arrive in UTC.
public sealed record TokenAnswer(string AccessToken, long ExpiresIn, string RefreshToken);

public sealed record Me(long Id, string DisplayName, string? Email);

public sealed record Person(long Id, string DisplayName);

public sealed record PeoplePage(IReadOnlyList<Person> Items);

public sealed record Sender(long? Id, string DisplayName);

public sealed record Photo(string Url, string ThumbnailUrl, int Width, int Height, string Alt);

public sealed record Message(
    long Id, long ConversationId, string Kind, Sender Sender, string? Body, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, bool Deleted,
    Photo? Image, Attachment? Attachment = null);

// Name is null for a photo; length is in seconds.
public sealed record Attachment(long Id, string Kind, string? Name, string ContentType, long? Size, string Url, double? Length);

public sealed record MessagePaging(int Limit, long? Older, long? Newer, long? Version);

public sealed record MessagePage(IReadOnlyList<Message> Items, IReadOnlyList<Message>? Changed, MessagePaging Paging);

public sealed record LastMessage(long Id, string Kind, Sender Sender, string? Body, bool Deleted);

public sealed record ConversationSummary(long Id, string Kind, string Title, long Unread, DateTimeOffset LastActivityAt, LastMessage? LastMessage);

public sealed record ConversationList(IReadOnlyList<ConversationSummary> Items);

public sealed record Member(long Id, string DisplayName, string Role);

public sealed record Conversation(long Id, string Kind, string Title, IReadOnlyList<Member> Members);
