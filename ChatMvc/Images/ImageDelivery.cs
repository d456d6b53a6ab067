using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace ChatMvc.Images;

// Sends a stored variant to whoever may see it, for the pages' image URLs and the API's alike.
public sealed class ImageDelivery(ImageQueries images, ConversationCache cache)
{
    // A variant's bytes never change (a new avatar is a new image), so browsers may keep it for a year;
    // private, because it is only for the members who may see it.
    public const string CacheControl = "private, max-age=31536000, immutable";

    // A photo is visible to the members of its conversation, an avatar to everyone signed in. Anyone else,
    // like an unknown id, gets 404 so the URL does not tell whether the image exists.
    public async Task<IActionResult> ServeAsync(ControllerBase controller, long imageId, string variant)
    {
        var held = controller.Request.GetTypedHeaders().IfNoneMatch;
        // A client that may already hold the bytes gets them only when its copy turns out to be stale.
        var found = await images.FindVariantAsync(imageId, variant, withBytes: held.Count == 0);
        if (found is null
            || (found.ConversationId is { } conversationId && await cache.RoleOfAsync(conversationId, controller.User.UserId()) is null))
        {
            return controller.NotFound();
        }

        var etag = new EntityTagHeaderValue($"\"{found.ContentHash}\"");
        var headers = controller.Response.Headers;
        headers.ETag = etag.ToString();
        headers.CacheControl = CacheControl;
        headers.XContentTypeOptions = "nosniff";
        if (held.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return controller.StatusCode(StatusCodes.Status304NotModified);
        }

        var bytes = found.Bytes ?? (await images.FindVariantAsync(imageId, variant))?.Bytes;
        return bytes is null ? controller.NotFound() : controller.File(bytes, found.ContentType);
    }
}
