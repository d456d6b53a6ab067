using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

// Invite links carry a random token (SecretTokens); only its hash is stored, so the database alone opens no group.
public sealed class InviteQueries(ChatDb db, TimeProvider time)
{
    public async Task<(long Id, string Token)> CreateAsync(long conversationId, long creatorId, DateTimeOffset? expiresAt)
    {
        var token = SecretTokens.New();
        await using var connection = await db.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            db.Dialect.InsertReturningId("""
                INSERT INTO invites (conversation_id, token_hash, created_by, created_at, expires_at)
                VALUES (@conversationId, @hash, @creatorId, @now, @expires)
                """),
            new
            {
                conversationId,
                hash = SecretTokens.Hash(token),
                creatorId,
                now = Clock.ToUnixMs(time.GetUtcNow()),
                expires = expiresAt is null ? (long?)null : Clock.ToUnixMs(expiresAt.Value),
            });
        return (id, token);
    }

    public async Task<Invite?> FindByTokenAsync(string token)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Invite>("""
            SELECT i.id, i.conversation_id, c.title AS conversation_title, i.created_at, i.expires_at, i.revoked_at
            FROM invites i JOIN conversations c ON c.id = i.conversation_id
            WHERE i.token_hash = @hash
            """, new { hash = SecretTokens.Hash(token) });
    }

    public async Task<IReadOnlyList<Invite>> ListAsync(long conversationId)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<Invite>("""
            SELECT i.id, i.conversation_id, c.title AS conversation_title, i.created_at, i.expires_at, i.revoked_at
            FROM invites i JOIN conversations c ON c.id = i.conversation_id
            WHERE i.conversation_id = @conversationId ORDER BY i.id DESC
            """, new { conversationId })).ToList();
    }

    public async Task<bool> RevokeAsync(long conversationId, long inviteId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteAsync(
            "UPDATE invites SET revoked_at = @now WHERE id = @inviteId AND conversation_id = @conversationId AND revoked_at IS NULL",
            new { inviteId, conversationId, now = Clock.ToUnixMs(time.GetUtcNow()) }) > 0;
    }
}
