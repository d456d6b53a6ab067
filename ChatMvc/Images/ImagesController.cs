using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace ChatMvc.Images;

[Authorize]
public sealed class ImagesController(ImageQueries images, ConversationCache cache) : Controller
{
    // A variant's bytes never change (a new avatar is a new image), so browsers may keep it for a year;
    // private, because it is only for the members who may see it.
    public const string CacheControl = "private, max-age=31536000, immutable";

    // A photo is visible to the members of its conversation, an avatar to everyone signed in. Anyone else,
    // like an unknown id, gets 404 so the URL does not tell whether the image exists.
    [HttpGet("/images/{imageId:long}/{variant}")]
    public async Task<IActionResult> Show(long imageId, string variant)
    {
        var held = Request.GetTypedHeaders().IfNoneMatch;
        var found = await images.FindVariantAsync(imageId, variant, held.FirstOrDefault()?.Tag.Value?.Trim('"'));
        if (found is null
            || (found.ConversationId is { } conversationId && await cache.RoleOfAsync(conversationId, User.UserId()) is null))
        {
            return NotFound();
        }

        var etag = new EntityTagHeaderValue($"\"{found.ContentHash}\"");
        Response.Headers.ETag = etag.ToString();
        Response.Headers.CacheControl = CacheControl;
        Response.Headers.XContentTypeOptions = "nosniff";
        if (held.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return StatusCode(StatusCodes.Status304NotModified);
        }

        var bytes = found.Bytes ?? (await images.FindVariantAsync(imageId, variant))?.Bytes;
        return bytes is null ? NotFound() : File(bytes, found.ContentType);
    }
}
