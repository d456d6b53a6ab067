using ChatMvc.Data;
using ChatMvc.Images;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace ChatMvc.Files;

// Sends a stored file to a member of its conversation (the caller has checked membership), for the pages' file
// URLs and the API's alike, with byte ranges so a player can seek.
public sealed class FileDelivery(FileQueries files, IFileStore store, ILogger<FileDelivery> logger)
{
    public async Task<IActionResult> ServeAsync(ControllerBase controller, long conversationId, long fileId)
    {
        var file = await files.FindAsync(conversationId, fileId);
        if (file is null)
        {
            return controller.NotFound();
        }

        var content = store.OpenRead(file.Sha256);
        if (content is null)
        {
            logger.LogWarning("File {File} is recorded but its bytes ({Sha256}) are not in the store.", file.Id, file.Sha256);
            return controller.NotFound();
        }

        var headers = controller.Response.Headers;
        // The bytes under a file id never change, like an image variant's.
        headers.CacheControl = ImageDelivery.CacheControl;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentDisposition = Disposition(file).ToString();
        return controller.File(
            content, file.ContentType, Clock.OffsetFromUnixMs(file.CreatedAt), new EntityTagHeaderValue($"\"{file.Sha256}\""),
            enableRangeProcessing: true);
    }

    // Played or shown in the page only when its bytes said it is a video, sound or image; anything else, which a
    // browser might run (HTML, SVG, JavaScript, ...), is a download. The name goes as filename* (RFC 6266, any
    // characters) with a plain ASCII filename beside it for old clients.
    public static ContentDispositionHeaderValue Disposition(StoredFile file)
    {
        var disposition = new ContentDispositionHeaderValue(FileKinds.ShownInline(file.Kind) ? "inline" : "attachment");
        disposition.SetHttpFileName(file.Name);
        return disposition;
    }
}
