using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Images;

[Authorize]
public sealed class ImagesController(ImageDelivery delivery) : Controller
{
    [HttpGet("/images/{imageId:long}/{variant}")]
    public Task<IActionResult> Show(long imageId, string variant) => delivery.ServeAsync(this, imageId, variant);
}
