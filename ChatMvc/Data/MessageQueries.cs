using System.Data.Common;
using ChatMvc.Chat;
using ChatMvc.Images;
using Dapper;

namespace ChatMvc.Data;

public sealed class MessageQueries(ChatDb db, TimeProvider time)
{
    public const int PageSize = 40;

    // How many messages a window opened at the first unread one shows before offering the rest.
    public const int UnreadPageSize = 50;

    // Who a message mentions travels with it (and with it into the cache): ids for the API and the notices, names as
    // typed for the highlight. A primary-key read per message.
    internal static string MessageColumns(SqlDialect dialect) => $"""
        {dialect.BeforeGroupConcat}SELECT m.id, m.conversation_id, m.sender_id, u.display_name AS sender_name, u.avatar_image_id AS sender_avatar_image_id, u.is_bot AS sender_is_bot,
               CASE WHEN u.deactivated_at IS NULL THEN 0 ELSE 1 END AS sender_deactivated,
               m.kind, m.body, m.image_id, m.image_alt, t.width AS thumb_width, t.height AS thumb_height,
               d.width AS image_width, d.height AS image_height,
               m.created_at, m.edited_at, m.deleted_at, m.change_version, m.mentions_everyone,
               rt.id AS reply_to_id, rt.sender_id AS reply_to_sender_id, rtu.display_name AS reply_to_sender_name,
               rt.body AS reply_to_body, rt.image_id AS reply_to_image_id, rt.deleted_at AS reply_to_deleted_at,
               (SELECT GROUP_CONCAT(mm.user_id) FROM message_mentions mm WHERE mm.message_id = m.id) AS mention_ids,
               (SELECT {dialect.GroupConcat("mn.written", MessageView.MentionNameSeparator)} FROM message_mentions mn WHERE mn.message_id = m.id) AS mention_names,
               d.byte_count AS image_size, m.file_id, f.name AS file_name, f.content_type AS file_content_type, f.kind AS file_kind,
               f.byte_count AS file_size, f.width AS file_width, f.height AS file_height, f.length_ms AS file_length_ms,
               f.poster_image_id AS file_poster_image_id
        """;

    internal const string MessageJoins = $"""
        LEFT JOIN users u ON u.id = m.sender_id
        LEFT JOIN image_variants t ON t.image_id = m.image_id AND t.variant = '{ImageVariants.Thumb}'
        LEFT JOIN image_variants d ON d.image_id = m.image_id AND d.variant = '{ImageVariants.Display}'
        LEFT JOIN messages rt ON rt.id = m.reply_to_id AND rt.conversation_id = m.conversation_id
        LEFT JOIN users rtu ON rtu.id = rt.sender_id
        LEFT JOIN files f ON f.id = m.file_id
        """;

    private string SelectMessages => $"{MessageColumns(db.Dialect)}\nFROM messages m {MessageJoins}";

    // A page of one conversation: its ids are picked on the (conversation_id, id) index alone and only those rows
    // are joined. Picked and joined in one statement, MariaDB buffered the join with a nearly empty table (files)
    // and then sorted the whole conversation: bench/run.sh measured over 2 s per page of a 100,000-message
    // conversation that way. The hint keeps MariaDB seeking to the cursor instead of walking down from the newest
    // message (seconds per page deep in a 1,000,000-message conversation without it).
    private string SelectPage(string where, string order) => $"""
        {MessageColumns(db.Dialect)}
        FROM (SELECT id FROM messages {db.Dialect.UseIndex("ix_messages_conversation_id")}
              WHERE conversation_id = @conversationId {where} ORDER BY id {order} LIMIT @limit) page
        JOIN messages m ON m.id = page.id {MessageJoins}
        ORDER BY m.id {order}
        """;

    // Newest `limit` messages, oldest first.
    public async Task<IReadOnlyList<MessageView>> LatestAsync(long conversationId, int limit)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            SelectPage("", "DESC"), new { conversationId, limit });
        return await ReactionQueries.AttachAsync(connection, rows.Reverse().ToList());
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
            {SelectPage("", "DESC")};
            """,
            new { conversationId, limit }, transaction);
        var lastId = await results.ReadSingleOrDefaultAsync<long>();
        var counter = await results.ReadSingleOrDefaultAsync<long>();
        var recent = await ReactionQueries.AttachAsync(connection, (await results.ReadAsync<MessageView>()).Reverse().ToList(), transaction);
        await transaction.CommitAsync();
        return (new ConversationHead(lastId, counter), recent);
    }

    // The page just before a message id (keyset paging), oldest first.
    public async Task<IReadOnlyList<MessageView>> PageBeforeAsync(long conversationId, long beforeId, int limit = PageSize)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            SelectPage("AND id < @beforeId", "DESC"), new { conversationId, beforeId, limit });
        return await ReactionQueries.AttachAsync(connection, rows.Reverse().ToList());
    }

    public async Task<IReadOnlyList<MessageView>> AfterAsync(long conversationId, long afterId, int limit = 200)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            SelectPage("AND id > @afterId", "ASC"), new { conversationId, afterId, limit });
        return await ReactionQueries.AttachAsync(connection, rows.ToList());
    }

    // Unread for a reader as the conversation list counts them: other people's messages that still exist.
    public async Task<int> CountUnreadAfterAsync(long conversationId, long readerId, long afterId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(*) FROM messages
            WHERE conversation_id = @conversationId AND id > @afterId AND kind = 'text' AND deleted_at IS NULL
              AND (sender_id IS NULL OR sender_id <> @readerId)
            """,
            new { conversationId, readerId, afterId });
    }

    // Messages up to a known id that were edited or deleted after the client's change counter.
    public async Task<IReadOnlyList<MessageView>> ChangedSinceAsync(long conversationId, long changeCounter, long upToId)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MessageView>(
            $"{SelectMessages} WHERE m.conversation_id = @conversationId AND m.change_version > @changeCounter AND m.id <= @upToId ORDER BY m.id",
            new { conversationId, changeCounter, upToId });
        return await ReactionQueries.AttachAsync(connection, rows.ToList());
    }

    // Stores a message once per conversation, sender and client message id: a retry or double submit gets the
    // first one back, while the same id in another conversation is another message.
    // A photo message may have no body; imageId is an image already stored for this conversation.
    public async Task<(MessageView Message, bool Created)> InsertAsync(
        long conversationId, long senderId, string kind, string? body, string? clientMessageId, long? imageId = null, string? imageAlt = null,
        long? replyToId = null, ResolvedMentions? mentions = null, long? fileId = null)
    {
        mentions ??= ResolvedMentions.None;
        await using var connection = await db.OpenAsync();
        var now = Clock.ToUnixMs(time.GetUtcNow());
        var values = new DynamicParameters(new
        {
            conversationId,
            senderId,
            kind,
            body,
            clientMessageId,
            imageId,
            imageAlt,
            replyToId,
            fileId,
            now,
            everyone = mentions.Everyone,
        });

        // Four round trips: begin, insert, the rest with the re-read, commit. A retry of a stored client message id is
        // found by its unique key failing the insert rather than by a lookup before every send.
        try
        {
            await using var transaction = await connection.BeginTransactionAsync();
            // The conversation row is locked first. Otherwise two sends to one conversation each take a shared lock
            // on it (the messages foreign key check), both then wait to update it, and MariaDB kills one as a
            // deadlock: bench/run.sh saw one send in five fail that way at 200 a second.
            var id = await connection.ExecuteScalarAsync<long>(
                "UPDATE conversations SET last_activity_at = @now WHERE id = @conversationId;\n" + db.Dialect.InsertReturningId("""
                    INSERT INTO messages (conversation_id, sender_id, kind, body, client_message_id, image_id, image_alt, reply_to_id, file_id, created_at, mentions_everyone)
                    VALUES (@conversationId, @senderId, @kind, @body, @clientMessageId, @imageId, @imageAlt, @replyToId, @fileId, @now, @everyone)
                    """),
                values, transaction);
            values.Add("id", id);
            // The search's words ride in this batch too: no round trip of their own.
            var words = IndexWords(kind, body);
            values.Add("words", MessageWords.Json(words));
            var message = await connection.QuerySingleAsync<MessageView>(
                $"""
                {MentionInserts(mentions, values)}
                UPDATE conversations SET last_message_id = @id, last_activity_at = @now WHERE id = @conversationId;
                UPDATE conversation_members SET hidden = 0 WHERE conversation_id = @conversationId AND hidden = 1;
                UPDATE conversation_members SET last_read_message_id = @id
                WHERE conversation_id = @conversationId AND user_id = @senderId AND last_read_message_id < @id;
                {(words.Count > 0 ? MessageWords.InsertSql : string.Empty)}
                {SelectMessages} WHERE m.id = @id;
                """,
                values, transaction);
            await transaction.CommitAsync();
            return (message, true);
        }
        catch (DbException e) when (clientMessageId is not null && db.Dialect.IsUniqueViolation(e))
        {
            return (await FindByClientIdAsync(connection, conversationId, senderId, clientMessageId)
                ?? throw new InvalidOperationException("Message vanished.", e), false);
        }
    }

    // The mentions of a new message as one INSERT in the send's batch (its parameters added to values).
    private static string MentionInserts(ResolvedMentions mentions, DynamicParameters values)
    {
        if (mentions.People.Count == 0)
        {
            return string.Empty;
        }

        var rows = new List<string>(mentions.People.Count);
        for (var i = 0; i < mentions.People.Count; i++)
        {
            values.Add($"mentioned{i}", mentions.People[i].UserId);
            values.Add($"written{i}", mentions.People[i].Written);
            rows.Add($"(@id, @mentioned{i}, @written{i})");
        }

        return $"INSERT INTO message_mentions (message_id, user_id, written) VALUES {string.Join(", ", rows)};";
    }

    public async Task<MessageView?> FindAsync(long conversationId, long messageId)
    {
        await using var connection = await db.OpenAsync();
        var message = await connection.QuerySingleOrDefaultAsync<MessageView>(
            $"{SelectMessages} WHERE m.id = @messageId AND m.conversation_id = @conversationId", new { conversationId, messageId });
        return message is null ? null : (await ReactionQueries.AttachAsync(connection, [message]))[0];
    }

    // Only the sender may edit, and only a text message that still exists. Null when refused. A photo message
    // may lose its text but keeps its photo; imageAlt only applies to a photo message.
    // The mentions are replaced by those of the new text.
    public Task<MessageView?> EditAsync(
        long conversationId, long messageId, long editorId, string? body, string? imageAlt = null, ResolvedMentions? mentions = null) =>
        ChangeAsync(conversationId, messageId, """
            UPDATE messages SET body = @body, image_alt = CASE WHEN image_id IS NULL THEN NULL ELSE @imageAlt END,
                edited_at = @now, change_version = @version, mentions_everyone = @everyone
            WHERE id = @messageId AND conversation_id = @conversationId AND sender_id = @actorId
              AND kind = 'text' AND deleted_at IS NULL AND (@body IS NOT NULL OR image_id IS NOT NULL OR file_id IS NOT NULL)
            """, editorId, body, imageAlt, mentions ?? ResolvedMentions.None);

    // The sender may delete, and so may a group's owner (anyoneMayDelete). The body, the photo and the file go with
    // it (deleting the image or file row clears the message's reference through its foreign key; the file's bytes go
    // with the next sweep).
    public Task<MessageView?> DeleteAsync(long conversationId, long messageId, long actorId, bool anyoneMayDelete) =>
        ChangeAsync(conversationId, messageId, $"""
            UPDATE messages SET body = NULL, image_alt = NULL, deleted_at = @now, change_version = @version, mentions_everyone = @everyone
            WHERE id = @messageId AND conversation_id = @conversationId AND kind = 'text' AND deleted_at IS NULL
              {(anyoneMayDelete ? string.Empty : "AND sender_id = @actorId")};
            DELETE FROM images WHERE id IN (SELECT image_id FROM messages WHERE id = @messageId AND deleted_at = @now);
            DELETE FROM images WHERE id IN (
                SELECT f.poster_image_id FROM files f JOIN messages m ON m.file_id = f.id WHERE m.id = @messageId AND m.deleted_at = @now);
            DELETE FROM files WHERE id IN (SELECT file_id FROM messages WHERE id = @messageId AND deleted_at = @now);
            """, actorId, null, null, ResolvedMentions.None);

    // Bumps the conversation's change counter and stamps the changed message with it, in one transaction,
    // so a poll with an older counter finds exactly the messages changed since.
    private async Task<MessageView?> ChangeAsync(
        long conversationId, long messageId, string update, long actorId, string? body, string? imageAlt, ResolvedMentions mentions)
    {
        var now = Clock.ToUnixMs(time.GetUtcNow());
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var version = await NextChangeVersionAsync(connection, conversationId, transaction);
        var changed = await connection.ExecuteAsync(
            update, new { conversationId, messageId, actorId, body, imageAlt, now, version, everyone = mentions.Everyone }, transaction);
        if (changed == 0)
        {
            await transaction.RollbackAsync();
            return null;
        }

        // An edit's words replace the old ones and a delete's (body NULL) remove them, in the same transaction.
        await connection.ExecuteAsync(
            $"""
            DELETE FROM message_mentions WHERE message_id = @id;
            {(db.Dialect.KeepsMessageWords ? MessageWords.ReplaceSql : string.Empty)}
            """,
            new { id = messageId, conversationId, words = MessageWords.Json(IndexWords(MessageKind.Text, body)) }, transaction);
        await InsertMentionsAsync(connection, transaction, messageId, mentions);
        await transaction.CommitAsync();
        var message = await connection.QuerySingleAsync<MessageView>($"{SelectMessages} WHERE m.id = @messageId", new { messageId });
        return (await ReactionQueries.AttachAsync(connection, [message]))[0];
    }

    // The words message_words keeps for a message, where the engine has no full-text index of its own.
    private IReadOnlyList<string> IndexWords(string kind, string? body) =>
        db.Dialect.KeepsMessageWords && kind == MessageKind.Text ? MessageWords.Of(body) : [];

    private static async Task InsertMentionsAsync(DbConnection connection, DbTransaction transaction, long messageId, ResolvedMentions mentions)
    {
        if (mentions.People.Count > 0)
        {
            await connection.ExecuteAsync(
                "INSERT INTO message_mentions (message_id, user_id, written) VALUES (@messageId, @UserId, @Written)",
                mentions.People.Select(p => new { messageId, p.UserId, p.Written }), transaction);
        }
    }

    // Bumps the conversation's change counter inside a change's transaction (locking the conversation row, so changes
    // take turns) and returns it: the version the change stamps its message with.
    internal static Task<long> NextChangeVersionAsync(DbConnection connection, long conversationId, DbTransaction transaction) =>
        connection.ExecuteScalarAsync<long>("""
            UPDATE conversations SET change_counter = change_counter + 1 WHERE id = @conversationId;
            SELECT change_counter FROM conversations WHERE id = @conversationId;
            """, new { conversationId }, transaction);

    private async Task<MessageView?> FindByClientIdAsync(DbConnection connection, long conversationId, long senderId, string clientMessageId)
    {
        var message = await connection.QuerySingleOrDefaultAsync<MessageView>(
            $"{SelectMessages} WHERE m.sender_id = @senderId AND m.conversation_id = @conversationId AND m.client_message_id = @clientMessageId",
            new { conversationId, senderId, clientMessageId });
        return message is null ? null : (await ReactionQueries.AttachAsync(connection, [message]))[0];
    }
}
