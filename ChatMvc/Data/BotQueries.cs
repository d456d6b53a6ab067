using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

// Bots and their webhook keys. The key is random (SecretTokens) and only its hash is stored, so it is shown once,
// when the bot is made; a lost key is replaced by revoking the bot and making another.
public sealed class BotQueries(ChatDb db, TimeProvider time)
{
    private const string SelectBots = """
        SELECT b.id, b.conversation_id, b.user_id, u.display_name AS name, b.created_by, cu.display_name AS created_by_name,
               b.created_at, b.revoked_at
        FROM bots b JOIN users u ON u.id = b.user_id LEFT JOIN users cu ON cu.id = b.created_by
        """;

    // The bot's own users row and the bot in one transaction: a bot is never half made.
    public async Task<(Bot Bot, string Key)> CreateAsync(long conversationId, string name, long createdBy)
    {
        var key = SecretTokens.New();
        var now = Clock.ToUnixMs(time.GetUtcNow());
        // A user name nobody can type at sign-in (sign-in is by email, and a bot has none); unique like any other.
        var userName = "bot:" + SecretTokens.New();
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var userId = await connection.ExecuteScalarAsync<long>(
            db.Dialect.InsertReturningId("""
                INSERT INTO users (user_name, normalized_user_name, security_stamp, concurrency_stamp, lockout_enabled,
                                   display_name, created_at, is_bot)
                VALUES (@userName, @normalized, @stamp, @stamp, 1, @name, @now, 1)
                """),
            new { userName, normalized = userName.ToUpperInvariant(), stamp = Guid.NewGuid().ToString("N"), name, now }, transaction);
        var id = await connection.ExecuteScalarAsync<long>(
            db.Dialect.InsertReturningId("""
                INSERT INTO bots (conversation_id, user_id, key_hash, created_by, created_at)
                VALUES (@conversationId, @userId, @hash, @createdBy, @now)
                """),
            new { conversationId, userId, hash = SecretTokens.Hash(key), createdBy, now }, transaction);
        var bot = await connection.QuerySingleAsync<Bot>($"{SelectBots} WHERE b.id = @id", new { id }, transaction);
        await transaction.CommitAsync();
        return (bot, key);
    }

    // Newest first, revoked ones included (they say when), so an owner sees what has posted here.
    public async Task<IReadOnlyList<Bot>> ListAsync(long conversationId)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<Bot>(
            $"{SelectBots} WHERE b.conversation_id = @conversationId ORDER BY b.id DESC", new { conversationId })).ToList();
    }

    // Only a bot that still may post: not revoked.
    public async Task<Bot?> FindByKeyAsync(string key)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Bot>(
            $"{SelectBots} WHERE b.key_hash = @hash AND b.revoked_at IS NULL", new { hash = SecretTokens.Hash(key) });
    }

    // The revoked bot, or null when there is no such bot in this conversation or it was already revoked.
    public async Task<Bot?> RevokeAsync(long conversationId, long botId)
    {
        await using var connection = await db.OpenAsync();
        var revoked = await connection.ExecuteAsync(
            "UPDATE bots SET revoked_at = @now WHERE id = @botId AND conversation_id = @conversationId AND revoked_at IS NULL",
            new { botId, conversationId, now = Clock.ToUnixMs(time.GetUtcNow()) });
        return revoked == 0
            ? null
            : await connection.QuerySingleAsync<Bot>($"{SelectBots} WHERE b.id = @botId", new { botId });
    }
}
