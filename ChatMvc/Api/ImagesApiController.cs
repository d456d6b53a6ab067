using ChatMvc.Images;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

// The image URLs in message JSON: the same images and rules as the pages' /images URLs, with the API's credentials.
[Route("api/v1/images")]
[Tags("Images")]
public sealed class ImagesApiController(ImageDelivery delivery) : ApiController
{
    [HttpGet("{imageId:long}/{variant}")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "image/jpeg")]
    public async Task<IActionResult> Show(long imageId, string variant)
    {
        var result = await delivery.ServeAsync(this, imageId, variant);
        return result is NotFoundResult
            ? Refuse(StatusCodes.Status404NotFound, $"There is no image {imageId} in the size \"{variant}\" that you may see.")
            : result;
    }
}
