namespace ChatMvc.Chat;

public sealed record ChatWindowModel
{
    public required ConversationDetails Conversation { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<MessageView> Messages { get; init; }

    public required ConversationHead Cursor { get; init; }

    public required MessageViewer Viewer { get; init; }

    public long? FirstUnreadId { get; init; }

    // Set when showing an older page without JavaScript: no live updates, a way back to the latest.
    public bool IsHistory { get; init; }

    public string ClientMessageId { get; init; } = Guid.NewGuid().ToString("N");

    public string? ComposerBody { get; init; }

    public string? ComposerImageAlt { get; init; }

    public string? ComposerError { get; init; }

    public bool MayHaveOlder { get; init; }

    // The message the composer replies to (?replyTo=), shown as a quote above it.
    public MessageView? ReplyTo { get; init; }

    // The last message shown, when newer ones follow it in a window around a message.
    public long? NewerAfterId { get; init; }

    // Set when the window stops before the newest message (more unread than one window shows): how many of the
    // rest are unread. Such a window is not live.
    public int? MoreUnread { get; init; }

    public bool IsLive => !IsHistory && MoreUnread is null;

    public required ShellModel Shell { get; init; }

    public long? OldestId => Messages.Count > 0 ? Messages[0].Id : null;
}

// What a poll or a send returns to an open window: new messages to append, changed ones to replace,
// and the next cursor.
public sealed record WindowUpdateModel(
    long ConversationId, IReadOnlyList<MessageView> NewMessages, IReadOnlyList<MessageView> ChangedMessages, ConversationHead Cursor,
    string? NextClientMessageId = null)
{
    // The window had no messages (its cursor was at 0), so it still shows its "No messages yet" note: only then is
    // there a note to remove. An out-of-band swap for an element that is gone is an error in the browser.
    public bool FirstMessages { get; init; }
}

// A window update as one viewer's window renders it.
public sealed record WindowUpdateView(WindowUpdateModel Update, MessageViewer Viewer);

public sealed record OlderMessagesModel(long ConversationId, IReadOnlyList<MessageView> Messages, bool MayHaveOlder, MessageViewer Viewer);

// Who is looking at a message decides which of its controls they are offered.
public sealed record MessageViewer(long UserId, bool IsOwner);

// One message as the _Message partial shows it to one viewer. OutOfBand when it replaces its older self in a window
// (an edit or delete arriving by poll or send).
public sealed record MessageItem(MessageView Message, MessageViewer Viewer, bool OutOfBand = false)
{
    // The id of the chat window's one form holding the antiforgery token: every message's buttons post through it.
    public const string ActionsFormId = "message-actions";

    // Follows its sender's previous message closely: shown under that one's name (which screen readers still hear).
    public bool Continued { get; init; }

    public bool MayEdit => Message.Kind == MessageKind.Text && Message.DeletedAt is null && Message.SenderId == Viewer.UserId;

    // Owners may remove anyone's message.
    public bool MayDelete => Message.Kind == MessageKind.Text && Message.DeletedAt is null && (MayEdit || Viewer.IsOwner);

    // Any member may react to or reply to a text message that is still there.
    public bool MayRespond => Message.Kind == MessageKind.Text && Message.DeletedAt is null;

    // A refused reaction, shown in the message's menu (kept open) after an htmx post.
    public string? ReactionError { get; init; }

    public string? ReactionValue { get; init; }
}

// The page to react to a message without JavaScript, and where a refused reaction is shown.
public sealed record ReactionPageModel(MessageView Message, MessageViewer Viewer, string? Emoji = null, string? Error = null);

// The reaction choices and field, in a message's menu (htmx puts the message back in place) or on the page of their own
// (OwnPage: its forms carry their own antiforgery tokens).
public sealed record ReactionPickerModel(MessageView Message, string? Value = null, string? Error = null, bool OwnPage = false);

// The quote above the composer while replying.
public sealed record ReplyQuoteModel(long ConversationId, MessageView Message);

// CurrentId is the conversation open beside the list, if any.
public sealed record ConversationListModel(IReadOnlyList<ConversationSummary> Conversations, long Version, long? CurrentId = null)
{
    public long UnreadTotal => Conversations.Sum(c => c.Unread);

    // Someone mentioned the person in a conversation they still hear of: the tab title shows it.
    public bool Mentioned => Conversations.Any(c => c.MarkedMentions > 0);
}

// The app shell around a conversation window: the signed-in person and their conversation list.
public sealed record ShellModel(Person Me, ConversationListModel Conversations);

public sealed record ConversationRowModel(ConversationSummary Conversation, bool IsCurrent);

// The list's version, counts and poll address, and in an update the conversations gone from it. Plain values, so the
// partial is kept by what it shows (KeptPartials).
public sealed record ConversationListStateModel(long Version, long? CurrentId, long UnreadTotal, bool Mentioned, string Removed, bool OutOfBand)
{
    public static ConversationListStateModel Of(ConversationListModel list, IReadOnlyList<long> removed, bool outOfBand) =>
        new(list.Version, list.CurrentId, list.UnreadTotal, list.Mentioned, string.Join(' ', removed), outOfBand);
}

// A day's heading in the log, with its label as the viewer reads it ("Today", "Yesterday", a date).
public sealed record DaySeparatorModel(DateOnly Day, string Label);

// A list poll's answer with only the rows that changed: each with the row it follows in the list (null: first).
public sealed record ConversationListDeltaModel(ConversationListModel List, IReadOnlyList<(ConversationSummary Row, long? After)> Changed, IReadOnlyList<long> Removed)
{
    // Null when the whole list must be sent: the client's list had no row that stays, so there is nothing to place
    // the changed rows beside (it shows the empty state), or the list is now empty.
    public static ConversationListDeltaModel? From(ConversationListModel list, IReadOnlySet<long> changed)
    {
        var rows = list.Conversations;
        if (!rows.Any(row => !changed.Contains(row.Id)))
        {
            return null;
        }

        var placed = new List<(ConversationSummary, long?)>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (changed.Contains(rows[i].Id))
            {
                placed.Add((rows[i], i == 0 ? null : rows[i - 1].Id));
            }
        }

        var removed = changed.Where(id => rows.All(row => row.Id != id)).Order().ToList();
        return new ConversationListDeltaModel(list, placed, removed);
    }
}

public sealed record NewConversationModel
{
    public string? Query { get; init; }

    public IReadOnlyList<Person> Selected { get; init; } = [];

    public IReadOnlyList<Person> Results { get; init; } = [];

    public string? Title { get; init; }

    public string? Error { get; init; }
}

public sealed record EditMessageModel(long ConversationId, MessageView Message, string? Body, string? Error = null)
{
    public string? ImageAlt { get; init; }
}

public sealed record MembersPageModel
{
    public required ConversationDetails Conversation { get; init; }

    public required string Title { get; init; }

    public long ViewerId { get; init; }

    public bool IsOwner { get; init; }

    public string? Query { get; init; }

    public IReadOnlyList<Person> Candidates { get; init; } = [];

    public IReadOnlyList<Invite> Invites { get; init; } = [];

    // Whether the page links to the group's bots.
    public bool ManagesBots { get; init; }

    public string? Error { get; init; }

    public string? TitleError { get; init; }

    public string? InviteError { get; init; }

    public string? NewInviteLink { get; init; }
}

public sealed record PhotoPageModel(MessageView Message, string ConversationTitle);

// The viewer's notification level on the conversation page; desktop notices read it (and who the viewer is) from there.
public sealed record NotificationLevelModel(long ConversationId, string Level, long ViewerId);

// Members an @ may name (and @everyone when the viewer may use it), for the composer's picker.
public sealed record MentionCandidatesModel(IReadOnlyList<Member> Members, bool Everyone, string Query);
