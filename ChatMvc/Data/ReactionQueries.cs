using System.Data.Common;
using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

public enum ReactionChange
{
    Changed,
    Unchanged,
    NoSuchMessage,
    TooMany,
}

public sealed class ReactionQueries(ChatDb db, TimeProvider time)
{
    // Per person and message: enough for any real use, and a bound on what one person can pile onto a message.
    public const int MaxPerPersonAndMessage = 20;

    // Adds or removes one person's reaction. A reaction changes its message as an edit does: in one transaction the
    // conversation's change counter goes up and the message is stamped with it, so polls bring the message again.
    // Nothing is bumped when nothing changes (adding what is there, removing what is not).
    public async Task<ReactionChange> ChangeAsync(long conversationId, long messageId, long userId, string emoji, bool add)
    {
        var now = Clock.ToUnixMs(time.GetUtcNow());
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var version = await MessageQueries.NextChangeVersionAsync(connection, conversationId, transaction);
        var stamped = await connection.ExecuteAsync("""
            UPDATE messages SET change_version = @version
            WHERE id = @messageId AND conversation_id = @conversationId AND kind = 'text' AND deleted_at IS NULL
            """, new { messageId, conversationId, version }, transaction);
        if (stamped == 0)
        {
            await transaction.RollbackAsync();
            return ReactionChange.NoSuchMessage;
        }

        var parameters = new { messageId, userId, emoji, now };
        if (add)
        {
            var mine = (await connection.QueryAsync<string>(
                "SELECT emoji FROM message_reactions WHERE message_id = @messageId AND user_id = @userId", parameters, transaction)).ToList();
            if (mine.Contains(emoji, StringComparer.Ordinal))
            {
                await transaction.RollbackAsync();
                return ReactionChange.Unchanged;
            }

            if (mine.Count >= MaxPerPersonAndMessage)
            {
                await transaction.RollbackAsync();
                return ReactionChange.TooMany;
            }

            await connection.ExecuteAsync(
                "INSERT INTO message_reactions (message_id, user_id, emoji, created_at) VALUES (@messageId, @userId, @emoji, @now)",
                parameters, transaction);
        }
        else if (await connection.ExecuteAsync(
                     "DELETE FROM message_reactions WHERE message_id = @messageId AND user_id = @userId AND emoji = @emoji",
                     parameters, transaction) == 0)
        {
            await transaction.RollbackAsync();
            return ReactionChange.Unchanged;
        }

        await transaction.CommitAsync();
        return ReactionChange.Changed;
    }

    // The messages with their reactions, in one query for all of them.
    internal static async Task<IReadOnlyList<MessageView>> AttachAsync(
        DbConnection connection, IReadOnlyList<MessageView> messages, DbTransaction? transaction = null)
    {
        if (messages.Count == 0)
        {
            return messages;
        }

        var rows = await connection.QueryAsync<ReactionRow>(
            """
            SELECT r.message_id, r.emoji, r.user_id, u.display_name
            FROM message_reactions r JOIN users u ON u.id = r.user_id
            WHERE r.message_id IN @ids
            ORDER BY r.message_id, r.created_at, r.user_id
            """,
            new { ids = messages.Select(m => m.Id).ToList() }, transaction);
        var byMessage = rows.ToLookup(r => r.MessageId);
        return messages
            .Select(m => byMessage[m.Id] is var reactions && reactions.Any()
                ? m with
                {
                    Reactions = reactions
                        .GroupBy(r => r.Emoji, StringComparer.Ordinal)
                        .Select(g => new ReactionGroup(g.Key, g.Select(r => new Reactor(r.UserId, r.DisplayName)).ToList()))
                        .ToList(),
                }
                : m)
            .ToList();
    }

    private sealed class ReactionRow
    {
        public long MessageId { get; init; }

        public string Emoji { get; init; } = string.Empty;

        public long UserId { get; init; }

        public string DisplayName { get; init; } = string.Empty;
    }
}
