using System.Globalization;

namespace ChatMvc.Chat;

// Every URL under /conversations that a page links to, a form posts to or a controller redirects to, built in one
// place. The controllers' [Route] templates must agree with these; the route table test pins both.
public static class ChatUrls
{
    public const string Conversations = "/conversations";

    public const string NewConversation = "/conversations/new";

    // current: the conversation open beside the list, which the list marks.
    public static string ConversationListPoll(long version, long? current = null) =>
        current is null ? Format($"/conversations/poll?v={version}") : Format($"/conversations/poll?v={version}&current={current}");

    public static string Conversation(long id) => Format($"/conversations/{id}");

    // The no-JavaScript page of messages before one.
    public static string History(long id, long beforeMessageId) => Format($"/conversations/{id}?before={beforeMessageId}");

    // The query differs on every call: a link to the page's own URL plus #composer would only scroll, never reload.
    // The window again from the message after this one: the next page of a conversation with more unread than
    // one window shows.
    public static string UnreadAfter(long id, long messageId) => Format($"/conversations/{id}?unreadAfter={messageId}");

    public static string CheckForNewMessages(long id, string stamp) => Format($"/conversations/{id}?checked={Uri.EscapeDataString(stamp)}#composer");

    public static string Composer(long id) => Format($"/conversations/{id}#composer");

    public static string Poll(long id) => Format($"/conversations/{id}/poll");

    public static string Messages(long id) => Format($"/conversations/{id}/messages");

    public static string OlderMessages(long id, long beforeMessageId) => Format($"/conversations/{id}/messages?before={beforeMessageId}");

    public static string Message(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}");

    public static string ViewMessage(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}/view");

    public static string EditMessage(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}/edit");

    public static string DeleteMessage(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}/delete");

    // A message's reactions: the form to add one (a page of its own without JavaScript, the picker alone for htmx)
    // and where reactions post.
    public static string Reactions(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}/reactions");

    // Where a reaction's button posts to take the viewer's own reaction back.
    public static string ReactionRemoval(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}/reactions?remove=true");

    // The window with the composer replying to a message, without JavaScript.
    public static string ReplyTo(long id, long messageId) => Format($"/conversations/{id}?replyTo={messageId}#composer");

    // The quote the composer shows above a reply, for htmx.
    public static string ReplyQuote(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}/reply");

    // The window around one message (a search result's permalink), scrolled to it.
    public static string MessageAt(long id, long messageId) => Format($"/conversations/{id}?at={messageId}#message-{messageId}");

    // The no-JavaScript page of messages after one, for paging newer from a window around a message.
    public static string NewerHistory(long id, long afterMessageId) => Format($"/conversations/{id}?after={afterMessageId}");

    // The photo of a message, full size, in a page of its own.
    public static string Photo(long id, long messageId) => Format($"/conversations/{id}/messages/{messageId}/photo");

    // A file sent in the conversation, for its members.
    public static string File(long id, long fileId) => Format($"/conversations/{id}/files/{fileId}");

    // The message in its conversation's window.
    public static string MessageInConversation(long id, long messageId) => Format($"/conversations/{id}#message-{messageId}");

    public static string Members(long id) => Format($"/conversations/{id}/members");

    public static string RemoveMember(long id, long userId) => Format($"/conversations/{id}/members/{userId}/remove");

    public static string Title(long id) => Format($"/conversations/{id}/title");

    public static string Invites(long id) => Format($"/conversations/{id}/invites");

    public static string RevokeInvite(long id, long inviteId) => Format($"/conversations/{id}/invites/{inviteId}/revoke");

    // A group's bots and their webhooks (owners and administrators).
    public static string Bots(long id) => Format($"/conversations/{id}/bots");

    public static string RevokeBot(long id, long botId) => Format($"/conversations/{id}/bots/{botId}/revoke");

    public static string Leave(long id) => Format($"/conversations/{id}/leave");

    public static string Hide(long id) => Format($"/conversations/{id}/hide");

    // The member's notification level, set by a form on the conversation page.
    public static string Notifications(long id) => Format($"/conversations/{id}/notifications");

    // The members an @ in the composer may name, as a listbox (htmx).
    public static string MentionCandidates(long id) => Format($"/conversations/{id}/mentions");

    // Whether only owners may use @everyone (the members page).
    public static string EveryoneMentions(long id) => Format($"/conversations/{id}/everyone");

    public static string Delete(long id) => Format($"/conversations/{id}/delete");

    private static string Format(FormattableString url) => url.ToString(CultureInfo.InvariantCulture);
}
