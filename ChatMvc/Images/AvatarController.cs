using ChatMvc.Api;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Images;

// The signed-in person's avatar, uploaded and removed from the profile page.
[Authorize]
[Route("profile/avatar")]
public sealed class AvatarController(ImageService images, PeopleQueries people) : Controller
{
    private const string ProfileView = "~/Views/Profile/Edit.cshtml";

    [HttpPost("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    public async Task<IActionResult> Update(IFormFile? avatar)
    {
        var userId = User.UserId();
        if (avatar is null || avatar.Length == 0)
        {
            return await ProfileAsync(StatusCodes.Status400BadRequest, error: "Choose an image to upload.");
        }

        await using var content = avatar.OpenReadStream();
        var upload = await images.StoreAvatarAsync(userId, content, HttpContext.RequestAborted);
        return upload.Rejection is { } rejection
            ? await ProfileAsync(Response.StatusForRefused(rejection.Reason), error: rejection.Message)
            : await ProfileAsync(StatusCodes.Status200OK, notice: "Your new picture is saved.");
    }

    [HttpPost("delete")]
    public async Task<IActionResult> Delete()
    {
        await images.RemoveAvatarAsync(User.UserId());
        return await ProfileAsync(StatusCodes.Status200OK, notice: "Your picture is removed; people see your initials.");
    }

    private async Task<IActionResult> ProfileAsync(int status, string? error = null, string? notice = null)
    {
        Response.StatusCode = status;
        return View(ProfileView, new ProfileModel(User.DisplayName())
        {
            AvatarImageId = await people.AvatarOfAsync(User.UserId()),
            AvatarError = error,
            AvatarNotice = notice,
        });
    }
}
