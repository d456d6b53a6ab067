using Dapper;

namespace ChatMvc.Data;

// A file sent in a conversation, as stored: the bytes are in the file store under Sha256.
public sealed record StoredFile
{
    public long Id { get; init; }

    public long ConversationId { get; init; }

    public long? UploadedBy { get; init; }

    public string Sha256 { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string ContentType { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    public long ByteCount { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    public long? LengthMs { get; init; }

    public long? PosterImageId { get; init; }

    public long CreatedAt { get; init; }
}

public sealed class FileQueries(ChatDb db, TimeProvider time)
{
    public async Task<StoredFile> InsertAsync(StoredFile file)
    {
        var createdAt = Clock.ToUnixMs(time.GetUtcNow());
        await using var connection = await db.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            db.Dialect.InsertReturningId("""
                INSERT INTO files (conversation_id, uploaded_by, sha256, name, content_type, kind, byte_count, width, height, length_ms,
                                   poster_image_id, created_at)
                VALUES (@ConversationId, @UploadedBy, @Sha256, @Name, @ContentType, @Kind, @ByteCount, @Width, @Height, @LengthMs,
                        @PosterImageId, @createdAt)
                """),
            new
            {
                file.ConversationId,
                file.UploadedBy,
                file.Sha256,
                file.Name,
                file.ContentType,
                file.Kind,
                file.ByteCount,
                file.Width,
                file.Height,
                file.LengthMs,
                file.PosterImageId,
                createdAt,
            });
        return file with { Id = id, CreatedAt = createdAt };
    }

    // Only within its conversation: the caller has checked that the reader is a member of that one.
    public async Task<StoredFile?> FindAsync(long conversationId, long fileId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<StoredFile>(
            """
            SELECT id, conversation_id, uploaded_by, sha256, name, content_type, kind, byte_count, width, height, length_ms, poster_image_id,
                   created_at
            FROM files WHERE id = @fileId AND conversation_id = @conversationId
            """, new { conversationId, fileId });
    }

    // For a file stored for a message that was then not created; its poster goes with it.
    public async Task DeleteAsync(long fileId)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("""
            DELETE FROM images WHERE id IN (SELECT poster_image_id FROM files WHERE id = @fileId);
            DELETE FROM files WHERE id = @fileId;
            """, new { fileId });
    }

    // Files and photos that no message refers to (an upload whose message was never stored, a deleted message's
    // poster), once they are older than the cutoff: younger ones may belong to a message being sent right now.
    public async Task<int> DeleteUnreferencedAsync(DateTimeOffset cutoff)
    {
        var before = Clock.ToUnixMs(cutoff);
        await using var connection = await db.OpenAsync();
        var files = await connection.ExecuteAsync("""
            DELETE FROM files WHERE created_at <= @before AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.file_id = files.id)
            """, new { before });
        var images = await connection.ExecuteAsync("""
            DELETE FROM images WHERE conversation_id IS NOT NULL AND created_at <= @before
              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.image_id = images.id)
              AND NOT EXISTS (SELECT 1 FROM files f WHERE f.poster_image_id = images.id)
            """, new { before });
        return files + images;
    }

    // Which of these blobs some file row still refers to.
    public async Task<IReadOnlySet<string>> HeldAsync(IReadOnlyCollection<string> hashes)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await db.OpenAsync();
        foreach (var batch in hashes.Chunk(500))
        {
            held.UnionWith(await connection.QueryAsync<string>("SELECT DISTINCT sha256 FROM files WHERE sha256 IN @batch", new { batch }));
        }

        return held;
    }
}
