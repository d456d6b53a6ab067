using Dapper;

namespace ChatMvc.Data;

// A message someone has not read, for the missed-message mail.
public sealed record MissedMessage
{
    public long UserId { get; init; }

    public string Email { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public long? MissedMailSentAt { get; init; }

    public long MessageId { get; init; }

    public long ConversationId { get; init; }

    public string ConversationKind { get; init; } = "";

    public string? ConversationTitle { get; init; }

    public string? SenderName { get; init; }

    public string? Body { get; init; }

    public long? ImageId { get; init; }

    public long CreatedAt { get; init; }
}

// The queries of the missed-message mail: who has been away with something waiting, the lease that lets one
// instance send, and the marks that keep it to one mail per absence.
public sealed class MissedMailQueries(ChatDb db)
{
    // Unread messages in direct conversations and ones that mention the person, sent while they were away
    // (after their last visit and after their last such mail) and at least the delay ago, for everyone whose last
    // mail (if any) came before their last visit.
    public async Task<IReadOnlyList<MissedMessage>> DueAsync(long sentBefore, int limit)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<MissedMessage>(
            """
            SELECT u.id AS user_id, u.email, u.display_name, u.missed_mail_sent_at,
                   m.id AS message_id, m.conversation_id, c.kind AS conversation_kind, c.title AS conversation_title,
                   s.display_name AS sender_name, m.body, m.image_id, m.created_at
            FROM users u
            JOIN conversation_members cm ON cm.user_id = u.id
            JOIN conversations c ON c.id = cm.conversation_id
            JOIN messages m ON m.conversation_id = cm.conversation_id AND m.id > cm.last_read_message_id
            LEFT JOIN users s ON s.id = m.sender_id
            WHERE u.missed_mail = 1 AND u.deactivated_at IS NULL AND u.email IS NOT NULL
              AND (u.missed_mail_sent_at IS NULL OR u.last_seen_at > u.missed_mail_sent_at)
              AND m.kind = 'text' AND m.deleted_at IS NULL AND m.sender_id IS NOT NULL AND m.sender_id <> u.id
              AND m.created_at <= @sentBefore
              AND m.created_at > COALESCE(u.last_seen_at, 0)
              AND m.created_at > COALESCE(u.missed_mail_sent_at, 0)
              AND COALESCE(cm.notification_level, '') <> 'none'
              AND (c.kind = 'direct' OR EXISTS (SELECT 1 FROM message_mentions mm WHERE mm.message_id = m.id AND mm.user_id = u.id))
            ORDER BY u.id, m.id
            LIMIT @limit
            """,
            new { sentBefore, limit });
        return rows.AsList();
    }

    // Takes the named lease, or renews it for its holder; false while another holder's lease runs.
    public async Task<bool> TryTakeLeaseAsync(string name, string holder, long now, long expiresAt)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            db.Dialect.InsertIgnore("leases", "name, holder, expires_at", "@name, @holder, @expiresAt"),
            new { name, holder, expiresAt });
        var taken = await connection.ExecuteAsync(
            "UPDATE leases SET holder = @holder, expires_at = @expiresAt WHERE name = @name AND (holder = @holder OR expires_at < @now)",
            new { name, holder, now, expiresAt });
        return taken == 1;
    }

    // Lets the next round, on any instance, take the lease at once.
    public async Task ReleaseLeaseAsync(string name, string holder)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("UPDATE leases SET expires_at = 0 WHERE name = @name AND holder = @holder", new { name, holder });
    }

    // Marks the mail as sent, unless another sender got there first (the mark moved since it was read).
    public async Task<bool> ClaimAsync(long userId, long? previousSentAt, long now)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteAsync(
            """
            UPDATE users SET missed_mail_sent_at = @now
            WHERE id = @userId AND ((@previousSentAt IS NULL AND missed_mail_sent_at IS NULL) OR missed_mail_sent_at = @previousSentAt)
            """,
            new { userId, previousSentAt, now }) == 1;
    }

    // At most one write a minute per person: a visit is a visit whether it was a second or a minute ago.
    public const long SeenResolutionMs = 60_000;

    public async Task SeenAsync(long userId, long now)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE users SET last_seen_at = @now WHERE id = @userId AND (last_seen_at IS NULL OR last_seen_at < @now - @resolution)",
            new { userId, now, resolution = SeenResolutionMs });
    }

    public async Task<bool> WantsMailAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT missed_mail FROM users WHERE id = @userId", new { userId });
    }

    public async Task SetWantsMailAsync(long userId, bool wanted)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("UPDATE users SET missed_mail = @wanted WHERE id = @userId", new { userId, wanted });
    }
}
