using System.Data.Common;
using ChatMvc.Images;
using Dapper;

namespace ChatMvc.Data;

// One stored variant as the image URL serves it. Bytes is null when the caller already holds this content.
public sealed record StoredVariant
{
    public long ImageId { get; init; }

    // The conversation whose members may see it; null for an avatar.
    public long? ConversationId { get; init; }

    public string Variant { get; init; } = string.Empty;

    public string ContentType { get; init; } = string.Empty;

    public int Width { get; init; }

    public int Height { get; init; }

    public string ContentHash { get; init; } = string.Empty;

    public byte[]? Bytes { get; init; }
}

public sealed class ImageQueries(ChatDb db, TimeProvider time)
{
    // An image and all its variants, in one transaction. conversationId null = an avatar.
    public async Task<long> InsertAsync(long? conversationId, long uploadedBy, IReadOnlyList<ImageVariantData> variants)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await InsertAsync(connection, transaction, conversationId, uploadedBy, variants);
        await transaction.CommitAsync();
        return id;
    }

    // The new avatar replaces the old one, which is deleted, in one transaction. The concurrency stamp changes
    // so an account update working from the old row cannot write the old avatar back.
    public async Task<long> ReplaceAvatarAsync(long userId, IReadOnlyList<ImageVariantData> variants)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await InsertAsync(connection, transaction, null, userId, variants);
        await SetAvatarAsync(connection, transaction, userId, id);
        await transaction.CommitAsync();
        return id;
    }

    public async Task RemoveAvatarAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await SetAvatarAsync(connection, transaction, userId, null);
        await transaction.CommitAsync();
    }

    // withBytes false: everything but the bytes, for answering a client that may already hold them.
    public async Task<StoredVariant?> FindVariantAsync(long imageId, string variant, bool withBytes = true)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<StoredVariant>($"""
            SELECT v.image_id, i.conversation_id, v.variant, v.content_type, v.width, v.height, v.content_hash
                   {(withBytes ? ", v.bytes" : string.Empty)}
            FROM image_variants v JOIN images i ON i.id = v.image_id
            WHERE v.image_id = @imageId AND v.variant = @variant
            """, new { imageId, variant });
    }

    public async Task DeleteAsync(long imageId)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM images WHERE id = @imageId", new { imageId });
    }

    private async Task<long> InsertAsync(
        DbConnection connection, DbTransaction transaction, long? conversationId, long uploadedBy, IReadOnlyList<ImageVariantData> variants)
    {
        var now = Clock.ToUnixMs(time.GetUtcNow());
        var id = await connection.ExecuteScalarAsync<long>(
            db.Dialect.InsertReturningId("""
                INSERT INTO images (conversation_id, uploaded_by, created_at) VALUES (@conversationId, @uploadedBy, @now)
                """),
            new { conversationId, uploadedBy, now }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO image_variants (image_id, variant, content_type, width, height, byte_count, content_hash, bytes)
            VALUES (@id, @Name, @ContentType, @Width, @Height, @ByteCount, @ContentHash, @Bytes)
            """,
            variants.Select(v => new { id, v.Name, v.ContentType, v.Width, v.Height, ByteCount = v.Bytes.Length, v.ContentHash, v.Bytes }),
            transaction);
        return id;
    }

    private static async Task SetAvatarAsync(DbConnection connection, DbTransaction transaction, long userId, long? imageId)
    {
        var previous = await connection.ExecuteScalarAsync<long?>(
            "SELECT avatar_image_id FROM users WHERE id = @userId", new { userId }, transaction);
        await connection.ExecuteAsync(
            "UPDATE users SET avatar_image_id = @imageId, concurrency_stamp = @stamp WHERE id = @userId",
            new { userId, imageId, stamp = Guid.NewGuid().ToString() }, transaction);
        if (previous is not null)
        {
            await connection.ExecuteAsync("DELETE FROM images WHERE id = @previous", new { previous }, transaction);
        }
    }
}
