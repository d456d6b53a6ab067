using System.Globalization;
using ChatMvc.Chat;
using ChatMvc.Data;

namespace ChatMvc.Images;

public sealed record StoredImageVariant(string Name, string ContentType, int Width, int Height);

public sealed record StoredImage(long Id, IReadOnlyList<StoredImageVariant> Variants)
{
    public StoredImageVariant this[string name] => Variants.Single(v => v.Name == name);
}

// Either the stored image or why it was refused (nothing is stored then).
public sealed record ImageUpload(StoredImage? Image, ImageRejection? Rejection)
{
    public bool Succeeded => Image is not null;
}

// Uploads from any front end (the pages, the API): read at most the size limit, process, store.
public sealed class ImageService(
    ImageProcessor processor, ImageLibrary library, ImageQueries images, ConversationQueries conversations, ConversationCache cache, ConversationListCache lists,
    ILogger<ImageService> logger)
{
    // A photo for a message in this conversation; only its members can fetch it. The caller has checked
    // that the uploader is a member.
    public Task<ImageUpload> StoreMessageImageAsync(long conversationId, long uploaderId, Stream content, CancellationToken cancellationToken = default) =>
        StoreAsync(uploaderId, content, ImagePurpose.Message, variants => images.InsertAsync(conversationId, uploaderId, variants), cancellationToken);

    // Replaces the person's avatar (any signed-in user can fetch it) and refreshes everywhere it shows.
    public async Task<ImageUpload> StoreAvatarAsync(long userId, Stream content, CancellationToken cancellationToken = default)
    {
        var upload = await StoreAsync(userId, content, ImagePurpose.Avatar, variants => images.ReplaceAvatarAsync(userId, variants), cancellationToken);
        if (upload.Succeeded)
        {
            await AvatarChangedAsync(userId);
        }

        return upload;
    }

    public async Task RemoveAvatarAsync(long userId)
    {
        await images.RemoveAvatarAsync(userId);
        await AvatarChangedAsync(userId);
    }

    // For an image stored for a message that was then not created (a retried send found the first one).
    public Task DiscardAsync(long imageId) => images.DeleteAsync(imageId);

    // Reads the upload, stopping one byte past the limit so an oversized one is never held whole.
    public static async Task<byte[]?> ReadWithinLimitAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.CanSeek && content.Length > ImageProcessor.MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ImageProcessor.MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async Task<ImageUpload> StoreAsync(
        long userId, Stream content, ImagePurpose purpose, Func<IReadOnlyList<ImageVariantData>, Task<long>> store,
        CancellationToken cancellationToken)
    {
        var data = library.Available ? await ReadWithinLimitAsync(content, cancellationToken) : null;
        var processed = !library.Available
            ? ProcessedImage.Rejected(RejectionReason.Unavailable, library.Problem)
            : data is null
            ? ProcessedImage.Rejected(RejectionReason.TooLarge)
            : await processor.ProcessAsync(userId, data, purpose, cancellationToken);
        if (processed.Rejection is { } rejection)
        {
            logger.LogInformation(
                "Refused an image from user {User}: {Reason} {Detail}", userId, rejection.Reason, rejection.Detail);
            return new ImageUpload(null, rejection);
        }

        var id = await store(processed.Variants);
        return new ImageUpload(
            new StoredImage(id, processed.Variants.Select(v => new StoredImageVariant(v.Name, v.ContentType, v.Width, v.Height)).ToList()),
            null);
    }

    // Cached messages carry the sender's avatar id, and conversation lists show it: drop and tell.
    private async Task AvatarChangedAsync(long userId)
    {
        await lists.ProfileChangedAsync(userId);
        foreach (var conversationId in await conversations.ConversationIdsOfAsync(userId))
        {
            await cache.ConversationChangedAsync(conversationId);
        }
    }
}

public static class ImageRefusals
{
    // 429 and when to try again for a photo sent while the person's previous one is still in progress (waiting
    // helps); 503 when this server cannot process photos at all; 400 for the rest, which the person must change.
    public static int StatusForRefused(this HttpResponse response, RejectionReason reason)
    {
        if (reason == RejectionReason.Unavailable)
        {
            return StatusCodes.Status503ServiceUnavailable;
        }

        if (reason != RejectionReason.Busy)
        {
            return StatusCodes.Status400BadRequest;
        }

        response.Headers.RetryAfter = ((int)ImageProcessor.BusyRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return StatusCodes.Status429TooManyRequests;
    }
}
