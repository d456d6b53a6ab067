using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

public sealed class MentionQueries(ChatDb db)
{
    // Messages that mention the user, newest first, before a message id. The membership join keeps out the
    // conversations they have left, whatever was said about them there.
    public async Task<IReadOnlyList<SearchRow>> MentioningAsync(long userId, long? beforeId, int limit)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView, SearchQueries.SearchRowExtras, SearchRow>(
            $"""
            {MessageQueries.MessageColumns(db.Dialect)},
                   c.kind AS conversation_kind, c.title AS conversation_title,
                   (SELECT ou.display_name FROM conversation_members o JOIN users ou ON ou.id = o.user_id
                     WHERE o.conversation_id = c.id AND o.user_id <> @userId ORDER BY o.joined_at LIMIT 1) AS other_member_name
            FROM message_mentions me
            JOIN messages m ON m.id = me.message_id
            JOIN conversation_members cm ON cm.conversation_id = m.conversation_id AND cm.user_id = @userId
            JOIN conversations c ON c.id = m.conversation_id
            {MessageQueries.MessageJoins}
            WHERE me.user_id = @userId AND m.deleted_at IS NULL AND (@beforeId IS NULL OR me.message_id < @beforeId)
            ORDER BY me.message_id DESC
            LIMIT @limit
            """,
            (message, extras) => new SearchRow(
                message,
                new ConversationSummary { Kind = extras.ConversationKind, Title = extras.ConversationTitle, OtherMemberName = extras.OtherMemberName }.DisplayTitle,
                null),
            new { userId, beforeId, limit },
            splitOn: "conversation_kind");
        return rows.ToList();
    }
}
