using Dapper;

namespace ChatMvc.Data;

public sealed class AuditQueries(ChatDb db)
{
    public async Task AddAsync(AuditEventRow row)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO audit_events (occurred_at, actor_id, actor_name, action, subject_user_id, subject_name, detail)
            VALUES (@OccurredAt, @ActorId, @ActorName, @Action, @SubjectUserId, @SubjectName, @Detail)
            """, row);
    }

    // Newest first, a page at a time: entries older than beforeId.
    public async Task<IReadOnlyList<AuditEventRow>> PageAsync(long? beforeId, int limit)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<AuditEventRow>("""
            SELECT id, occurred_at, actor_id, actor_name, action, subject_user_id, subject_name, detail
            FROM audit_events
            WHERE @beforeId IS NULL OR id < @beforeId
            ORDER BY id DESC
            LIMIT @limit
            """, new { beforeId, limit })).ToList();
    }
}

public sealed record AuditEventRow
{
    public long Id { get; init; }

    public long OccurredAt { get; init; }

    public long? ActorId { get; init; }

    public string ActorName { get; init; } = string.Empty;

    public string Action { get; init; } = string.Empty;

    public long? SubjectUserId { get; init; }

    public string? SubjectName { get; init; }

    public string? Detail { get; init; }
}
