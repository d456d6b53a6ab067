using ChatMvc.Chat;
using ChatMvc.Files;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

// The file URLs in message JSON: the same files and rules as the pages' file URLs, with the API's credentials.
[Route("api/v1/conversations/{id:long}/files")]
[Tags("Files")]
public sealed class FilesApiController(ConversationCache cache, FileDelivery delivery) : ConversationScopedApiController(cache)
{
    [HttpGet("{fileId:long}")]
    [ProducesResponseType<FileStreamResult>(StatusCodes.Status200OK, "application/octet-stream")]
    [ProducesResponseType<FileStreamResult>(StatusCodes.Status206PartialContent, "application/octet-stream")]
    public async Task<IActionResult> Show(long fileId)
    {
        var result = await delivery.ServeAsync(this, ConversationId, fileId);
        return result is NotFoundResult ? Refuse(StatusCodes.Status404NotFound, $"There is no file {fileId} in this conversation.") : result;
    }
}
