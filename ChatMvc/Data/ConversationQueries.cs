using System.Data.Common;
using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

public enum RemovalOutcome
{
    NotAMember,
    Removed,
    ConversationDeleted,
}

public sealed class ConversationQueries(ChatDb db, TimeProvider time)
{
    // The person's list, or only the given conversations' rows of it (those they still see).
    public async Task<IReadOnlyList<ConversationSummary>> ListForUserAsync(long userId, IReadOnlyCollection<long>? only = null)
    {
        if (only is { Count: 0 })
        {
            return [];
        }

        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<ConversationSummary>("""
            SELECT c.id, c.kind, c.title, c.last_activity_at,
                   (SELECT u.display_name FROM conversation_members o JOIN users u ON u.id = o.user_id
                     WHERE o.conversation_id = c.id AND o.user_id <> @userId ORDER BY o.joined_at LIMIT 1) AS other_member_name,
                   (SELECT u.avatar_image_id FROM conversation_members o JOIN users u ON u.id = o.user_id
                     WHERE o.conversation_id = c.id AND o.user_id <> @userId ORDER BY o.joined_at LIMIT 1) AS other_member_avatar_image_id,
                   lm.id AS last_message_id, lm.kind AS last_message_kind, lm.body AS last_message_body,
                   lm.sender_id AS last_message_sender_id, su.display_name AS last_message_sender_name,
                   lm.deleted_at AS last_message_deleted_at, lm.image_id AS last_message_image_id,
                   (SELECT COUNT(*) FROM messages x
                     WHERE x.conversation_id = c.id AND x.id > m.last_read_message_id
                       AND x.kind = 'text' AND x.deleted_at IS NULL
                       AND (x.sender_id IS NULL OR x.sender_id <> @userId)) AS unread_messages,
                   (SELECT COUNT(*) FROM message_mentions mm JOIN messages x ON x.id = mm.message_id
                     WHERE mm.user_id = @userId AND mm.message_id > m.last_read_message_id
                       AND x.conversation_id = c.id AND x.deleted_at IS NULL) AS unread_mentions,
                   m.notification_level
            FROM conversation_members m
            JOIN conversations c ON c.id = m.conversation_id
            LEFT JOIN messages lm ON lm.id = c.last_message_id
            LEFT JOIN users su ON su.id = lm.sender_id
            WHERE m.user_id = @userId AND m.hidden = 0
            """ + (only is null ? "" : " AND c.id IN @only") + """

            ORDER BY c.last_activity_at DESC, c.id DESC
            """, new { userId, only });
        return rows.ToList();
    }

    public async Task<ConversationDetails?> FindAsync(long conversationId)
    {
        await using var connection = await db.OpenAsync();
        using var results = await connection.QueryMultipleAsync("""
            SELECT id, kind, title, everyone_owners_only FROM conversations WHERE id = @conversationId;
            SELECT m.user_id, u.display_name, m.role, m.joined_at, m.last_read_message_id, m.notification_level
            FROM conversation_members m JOIN users u ON u.id = m.user_id
            WHERE m.conversation_id = @conversationId
            ORDER BY m.joined_at, m.user_id;
            """, new { conversationId });
        var conversation = await results.ReadSingleOrDefaultAsync<ConversationDetails>();
        var members = (await results.ReadAsync<Member>()).ToList();
        return conversation is null ? null : conversation with { Members = members };
    }

    public async Task<IReadOnlyList<MemberRole>> MemberRolesAsync(long conversationId)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<MemberRole>(
            "SELECT user_id, role FROM conversation_members WHERE conversation_id = @conversationId ORDER BY user_id",
            new { conversationId })).ToList();
    }

    // One conversation per pair: the direct_key is unique, so when two requests race the loser finds the winner's.
    public async Task<(long Id, bool Created)> GetOrCreateDirectAsync(long userId, long otherUserId)
    {
        var key = DirectKey(userId, otherUserId);
        await using var connection = await db.OpenAsync();
        var existing = await FindDirectAsync(connection, key);
        if (existing is not null)
        {
            return (existing.Value, false);
        }

        try
        {
            return (await CreateAsync(connection, ConversationKind.Direct, null, key, userId, [userId, otherUserId]), true);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return (await FindDirectAsync(connection, key) ?? throw new InvalidOperationException("Direct conversation vanished.", e), false);
        }
    }

    public async Task<long?> FindDirectAsync(long userId, long otherUserId)
    {
        await using var connection = await db.OpenAsync();
        return await FindDirectAsync(connection, DirectKey(userId, otherUserId));
    }

    public async Task<long> CreateGroupAsync(long ownerId, string title, IReadOnlyCollection<long> memberIds)
    {
        await using var connection = await db.OpenAsync();
        return await CreateAsync(connection, ConversationKind.Group, title, null, ownerId, [ownerId, .. memberIds.Where(id => id != ownerId).Distinct()]);
    }

    public async Task<bool> UsersExistAsync(IReadOnlyCollection<long> userIds)
    {
        await using var connection = await db.OpenAsync();
        var found = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE id IN @userIds AND deactivated_at IS NULL AND is_bot = 0", new { userIds });
        return found == userIds.Distinct().Count();
    }

    // True when the read position moved.
    public async Task<bool> MarkReadAsync(long conversationId, long userId, long messageId)
    {
        await using var connection = await db.OpenAsync();
        return 0 < await connection.ExecuteAsync("""
            UPDATE conversation_members SET last_read_message_id = @messageId
            WHERE conversation_id = @conversationId AND user_id = @userId AND last_read_message_id < @messageId
            """, new { conversationId, userId, messageId });
    }

    // Adds the users who are not members yet; returns the ones added.
    public async Task<IReadOnlyList<long>> AddMembersAsync(long conversationId, IReadOnlyCollection<long> userIds)
    {
        var now = Clock.ToUnixMs(time.GetUtcNow());
        var added = new List<long>();
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var userId in userIds.Distinct())
        {
            var inserted = await connection.ExecuteAsync(
                db.Dialect.InsertIgnore("conversation_members", "conversation_id, user_id, role, joined_at", "@conversationId, @userId, @role, @now"),
                new { conversationId, userId, role = MemberRoles.Member, now }, transaction);
            if (inserted > 0)
            {
                added.Add(userId);
            }
        }

        await transaction.CommitAsync();
        return added;
    }

    // Removes a member. A group keeps an owner: when the last one goes, the longest-standing member takes
    // over; when the last member goes, the group goes.
    public async Task<RemovalOutcome> RemoveMemberAsync(long conversationId, long userId)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var removed = await connection.ExecuteAsync(
            "DELETE FROM conversation_members WHERE conversation_id = @conversationId AND user_id = @userId",
            new { conversationId, userId }, transaction);
        if (removed == 0)
        {
            await transaction.RollbackAsync();
            return RemovalOutcome.NotAMember;
        }

        var remaining = (await connection.QueryAsync<Member>("""
            SELECT user_id, role, joined_at FROM conversation_members
            WHERE conversation_id = @conversationId ORDER BY joined_at, user_id
            """, new { conversationId }, transaction)).ToList();
        var outcome = RemovalOutcome.Removed;
        if (remaining.Count == 0)
        {
            await connection.ExecuteAsync("DELETE FROM conversations WHERE id = @conversationId", new { conversationId }, transaction);
            outcome = RemovalOutcome.ConversationDeleted;
        }
        else if (remaining.All(m => m.Role != MemberRoles.Owner))
        {
            await connection.ExecuteAsync(
                "UPDATE conversation_members SET role = @role WHERE conversation_id = @conversationId AND user_id = @userId",
                new { role = MemberRoles.Owner, conversationId, userId = remaining[0].UserId }, transaction);
        }

        await transaction.CommitAsync();
        return outcome;
    }

    public async Task RenameAsync(long conversationId, string title)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("UPDATE conversations SET title = @title WHERE id = @conversationId", new { conversationId, title });
    }

    // Messages, members, invites and images go with it (foreign keys cascade). Returns the former members.
    public async Task<IReadOnlyList<long>> DeleteAsync(long conversationId)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var members = (await connection.QueryAsync<long>(
            "SELECT user_id FROM conversation_members WHERE conversation_id = @conversationId", new { conversationId }, transaction)).ToList();
        await connection.ExecuteAsync("DELETE FROM conversations WHERE id = @conversationId", new { conversationId }, transaction);
        await transaction.CommitAsync();
        return members;
    }

    public async Task SetNotificationLevelAsync(long conversationId, long userId, string level)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE conversation_members SET notification_level = @level WHERE conversation_id = @conversationId AND user_id = @userId",
            new { conversationId, userId, level });
    }

    public async Task SetEveryoneOwnersOnlyAsync(long conversationId, bool ownersOnly)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE conversations SET everyone_owners_only = @ownersOnly WHERE id = @conversationId", new { conversationId, ownersOnly });
    }

    public async Task HideAsync(long conversationId, long userId)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE conversation_members SET hidden = 1 WHERE conversation_id = @conversationId AND user_id = @userId",
            new { conversationId, userId });
    }

    // Every conversation the user belongs to, for work that must touch all of them (renames, account deletion).
    public async Task<IReadOnlyList<long>> ConversationIdsOfAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<long>(
            "SELECT conversation_id FROM conversation_members WHERE user_id = @userId", new { userId })).ToList();
    }

    private static string DirectKey(long userId, long otherUserId) => $"{Math.Min(userId, otherUserId)}:{Math.Max(userId, otherUserId)}";

    private static Task<long?> FindDirectAsync(DbConnection connection, string key) =>
        connection.ExecuteScalarAsync<long?>("SELECT id FROM conversations WHERE direct_key = @key", new { key });

    private async Task<long> CreateAsync(DbConnection connection, string kind, string? title, string? directKey, long creatorId, IReadOnlyList<long> memberIds)
    {
        var now = Clock.ToUnixMs(time.GetUtcNow());
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            db.Dialect.InsertReturningId("""
                INSERT INTO conversations (kind, title, direct_key, created_by, created_at, last_activity_at)
                VALUES (@kind, @title, @directKey, @creatorId, @now, @now)
                """),
            new { kind, title, directKey, creatorId, now }, transaction);
        var role = kind == ConversationKind.Group ? MemberRoles.Owner : MemberRoles.Member;
        await connection.ExecuteAsync(
            "INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) VALUES (@id, @userId, @role, @now)",
            memberIds.Select(userId => new { id, userId, role = userId == creatorId ? role : MemberRoles.Member, now }),
            transaction);
        await transaction.CommitAsync();
        return id;
    }
}
