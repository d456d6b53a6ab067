using System.Data.Common;
using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

public sealed class MessageQueries(ChatDb db, TimeProvider time)
{
    public const int PageSize = 40;

    private const string SelectMessages = """
        SELECT m.id, m.conversation_id, m.sender_id, u.display_name AS sender_name, m.kind, m.body,
               m.created_at, m.edited_at, m.deleted_at, m.change_version
        FROM messages m LEFT JOIN users u ON u.id = m.sender_id
        """;

    // Newest `limit` messages, oldest first.
    public async Task<IReadOnlyList<MessageView>> LatestAsync(long conversationId, int limit)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            $"{SelectMessages} WHERE m.conversation_id = @conversationId ORDER BY m.id DESC LIMIT @limit",
            new { conversationId, limit });
        return rows.Reverse().ToList();
    }

    // The head and the newest messages read in one transaction, so they agree with each other.
    public async Task<(ConversationHead Head, IReadOnlyList<MessageView> Recent)> SnapshotAsync(long conversationId, int limit)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        using var results = await connection.QueryMultipleAsync(
            $"""
            SELECT COALESCE(last_message_id, 0) FROM conversations WHERE id = @conversationId;
            SELECT change_counter FROM conversations WHERE id = @conversationId;
            {SelectMessages} WHERE m.conversation_id = @conversationId ORDER BY m.id DESC LIMIT @limit;
            """,
            new { conversationId, limit }, transaction);
        var lastId = await results.ReadSingleOrDefaultAsync<long>();
        var counter = await results.ReadSingleOrDefaultAsync<long>();
        var recent = (await results.ReadAsync<MessageView>()).Reverse().ToList();
        await transaction.CommitAsync();
        return (new ConversationHead(lastId, counter), recent);
    }

    // The page just before a message id (keyset paging), oldest first.
    public async Task<IReadOnlyList<MessageView>> PageBeforeAsync(long conversationId, long beforeId, int limit = PageSize)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            $"{SelectMessages} WHERE m.conversation_id = @conversationId AND m.id < @beforeId ORDER BY m.id DESC LIMIT @limit",
            new { conversationId, beforeId, limit });
        return rows.Reverse().ToList();
    }

    public async Task<IReadOnlyList<MessageView>> AfterAsync(long conversationId, long afterId, int limit = 200)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            $"{SelectMessages} WHERE m.conversation_id = @conversationId AND m.id > @afterId ORDER BY m.id LIMIT @limit",
            new { conversationId, afterId, limit });
        return rows.ToList();
    }

    // Messages up to a known id that were edited or deleted after the client's change counter.
    public async Task<IReadOnlyList<MessageView>> ChangedSinceAsync(long conversationId, long changeCounter, long upToId)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            $"{SelectMessages} WHERE m.conversation_id = @conversationId AND m.change_version > @changeCounter AND m.id <= @upToId ORDER BY m.id",
            new { conversationId, changeCounter, upToId });
        return rows.ToList();
    }

    // Stores a message once per client message id: a retry or double submit gets the first one back.
    public async Task<(MessageView Message, bool Created)> InsertAsync(long conversationId, long senderId, string kind, string body, string? clientMessageId)
    {
        await using var connection = await db.OpenAsync();
        if (clientMessageId is not null && await FindByClientIdAsync(connection, senderId, clientMessageId) is { } earlier)
        {
            return (earlier, false);
        }

        var now = Clock.ToUnixMs(time.GetUtcNow());
        long id;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync();
            id = await connection.ExecuteScalarAsync<long>(
                db.Dialect.InsertReturningId("""
                    INSERT INTO messages (conversation_id, sender_id, kind, body, client_message_id, created_at)
                    VALUES (@conversationId, @senderId, @kind, @body, @clientMessageId, @now)
                    """),
                new { conversationId, senderId, kind, body, clientMessageId, now }, transaction);
            await connection.ExecuteAsync("""
                UPDATE conversations SET last_message_id = @id, last_activity_at = @now WHERE id = @conversationId;
                UPDATE conversation_members SET hidden = 0 WHERE conversation_id = @conversationId AND hidden = 1;
                UPDATE conversation_members SET last_read_message_id = @id
                WHERE conversation_id = @conversationId AND user_id = @senderId AND last_read_message_id < @id;
                """, new { id, now, conversationId, senderId }, transaction);
            await transaction.CommitAsync();
        }
        catch (DbException e) when (clientMessageId is not null && db.Dialect.IsUniqueViolation(e))
        {
            return (await FindByClientIdAsync(connection, senderId, clientMessageId)
                ?? throw new InvalidOperationException("Message vanished.", e), false);
        }

        var message = await connection.QuerySingleAsync<MessageView>($"{SelectMessages} WHERE m.id = @id", new { id });
        return (message, true);
    }

    public async Task<MessageView?> FindAsync(long conversationId, long messageId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<MessageView>(
            $"{SelectMessages} WHERE m.id = @messageId AND m.conversation_id = @conversationId", new { conversationId, messageId });
    }

    // Only the sender may edit, and only a text message that still exists. Null when refused.
    public Task<MessageView?> EditAsync(long conversationId, long messageId, long editorId, string body) =>
        ChangeAsync(conversationId, messageId, """
            UPDATE messages SET body = @body, edited_at = @now, change_version = @version
            WHERE id = @messageId AND conversation_id = @conversationId AND sender_id = @actorId
              AND kind = 'text' AND deleted_at IS NULL
            """, editorId, body);

    // The sender may delete, and so may a group's owner (anyoneMayDelete). The body goes with it.
    public Task<MessageView?> DeleteAsync(long conversationId, long messageId, long actorId, bool anyoneMayDelete) =>
        ChangeAsync(conversationId, messageId, $"""
            UPDATE messages SET body = NULL, deleted_at = @now, change_version = @version
            WHERE id = @messageId AND conversation_id = @conversationId AND kind = 'text' AND deleted_at IS NULL
              {(anyoneMayDelete ? string.Empty : "AND sender_id = @actorId")}
            """, actorId, null);

    // Bumps the conversation's change counter and stamps the changed message with it, in one transaction,
    // so a poll with an older counter finds exactly the messages changed since.
    private async Task<MessageView?> ChangeAsync(long conversationId, long messageId, string update, long actorId, string? body)
    {
        var now = Clock.ToUnixMs(time.GetUtcNow());
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var version = await connection.ExecuteScalarAsync<long>("""
            UPDATE conversations SET change_counter = change_counter + 1 WHERE id = @conversationId;
            SELECT change_counter FROM conversations WHERE id = @conversationId;
            """, new { conversationId }, transaction);
        var changed = await connection.ExecuteAsync(update, new { conversationId, messageId, actorId, body, now, version }, transaction);
        if (changed == 0)
        {
            await transaction.RollbackAsync();
            return null;
        }

        await transaction.CommitAsync();
        return await connection.QuerySingleAsync<MessageView>($"{SelectMessages} WHERE m.id = @messageId", new { messageId });
    }

    private static Task<MessageView?> FindByClientIdAsync(DbConnection connection, long senderId, string clientMessageId) =>
        connection.QuerySingleOrDefaultAsync<MessageView>(
            $"{SelectMessages} WHERE m.sender_id = @senderId AND m.client_message_id = @clientMessageId",
            new { senderId, clientMessageId });
}
