using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Images;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ChatMvc.Api;

[Route("api/v1/users")]
[Tags("Users")]
public sealed class UsersApiController(
    UserManager<ChatUser> users, SignInManager<ChatUser> signIn, PeopleQueries people, ProfileChanges profiles, ImageService images,
    ImageDelivery delivery)
    : ApiController
{
    public const int MaxPageSize = 100;

    // The directory, searched by part of a display name or a whole email address, as on the new-conversation page.
    [HttpGet("")]
    public async Task<ActionResult<PagedPeopleJson>> Search(string? q, int page = 1, int pageSize = 20)
    {
        if (page < 1)
        {
            ModelState.AddModelError("page", "page starts at 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            ModelState.AddModelError("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }
        else if ((long)page * pageSize > int.MaxValue)
        {
            // The offset would overflow, and a negative one is an SQL error on MySQL.
            ModelState.AddModelError("page", $"page can be at most {int.MaxValue / pageSize} with pageSize {pageSize}.");
        }

        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        var found = await people.SearchAsync(q, excludeUserId: 0, limit: pageSize + 1, offset: (page - 1) * pageSize);
        return new PagedPeopleJson(
            found.Take(pageSize).Select(PersonJson.From).ToList(), new PeoplePagingJson(page, pageSize, found.Count > pageSize));
    }

    [HttpGet("me")]
    public async Task<ActionResult<MeJson>> Me() =>
        await users.GetUserAsync(User) is { } user ? MeJson.From(user) : AccountGone();

    [HttpGet("{id:long}")]
    public async Task<ActionResult<PersonJson>> Show(long id) =>
        (await people.FindManyAsync([id])).SingleOrDefault() is { } person
            ? PersonJson.From(person)
            : Refuse(StatusCodes.Status404NotFound, $"There is no user {id}.");

    [HttpPut("me")]
    public async Task<ActionResult<MeJson>> Update(UpdateProfileRequest request)
    {
        var name = ProfileChanges.NormalizeDisplayName(request.DisplayName, out var error);
        if (name is null)
        {
            return Invalid("displayName", error!);
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return AccountGone();
        }

        var result = await profiles.RenameAsync(user, name);
        if (!result.Succeeded)
        {
            return Refuse(StatusCodes.Status409Conflict, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        // The cookie carries the display name; a bearer token picks up the new one at its next refresh.
        if (!await IsBearerAsync())
        {
            await signIn.RefreshSignInAsync(user);
        }

        return MeJson.From(user);
    }

    // As on the account page, deleting needs the password: a token that leaked is not enough.
    [HttpDelete("me")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete([FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeleteAccountRequest? request)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return AccountGone();
        }

        if (await users.HasPasswordAsync(user)
            && (string.IsNullOrEmpty(request?.Password) || !await users.CheckPasswordAsync(user, request.Password)))
        {
            return Invalid("password", "Send the account's current password as {\"password\": \"...\"} to delete it.");
        }

        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            return Refuse(StatusCodes.Status409Conflict, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        if (!await IsBearerAsync())
        {
            await signIn.SignOutAsync();
        }

        return NoContent();
    }

    // The person's picture (256 × 256 JPEG), or 404 when they have none.
    [HttpGet("{id:long}/image")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "image/jpeg")]
    public async Task<IActionResult> Image(long id)
    {
        var person = (await people.FindManyAsync([id])).SingleOrDefault();
        return person?.AvatarImageId is { } imageId
            ? await delivery.ServeAsync(this, imageId, ImageVariants.Avatar)
            : Refuse(StatusCodes.Status404NotFound, person is null ? $"There is no user {id}." : $"User {id} has no picture; show their initials.");
    }

    [HttpPut("me/image")]
    [RequestSizeLimit(ApiController.UploadBodyLimit)]
    public async Task<ActionResult<MeJson>> UpdateImage(IFormFile? file)
    {
        if (file is not { Length: > 0 })
        {
            return Invalid("file", "Attach the picture as the multipart/form-data field \"file\".");
        }

        await using (var content = file.OpenReadStream())
        {
            var upload = await images.StoreAvatarAsync(CurrentUserId, content, HttpContext.RequestAborted);
            if (upload.Rejection is { } rejection)
            {
                return RefuseImage(rejection.Reason, rejection.Message);
            }
        }

        return await users.GetUserAsync(User) is { } user ? MeJson.From(user) : AccountGone();
    }

    [HttpDelete("me/image")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> RemoveImage()
    {
        await images.RemoveAvatarAsync(CurrentUserId);
        return NoContent();
    }

    private ObjectResult AccountGone() =>
        Refuse(StatusCodes.Status401Unauthorized, "The account this token was issued for no longer exists.");
}

public sealed record UpdateProfileRequest(string? DisplayName);

public sealed record DeleteAccountRequest(string? Password);
