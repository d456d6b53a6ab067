using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ChatMvc.Api;

[Route("api/v1/users")]
[Tags("Users")]
public sealed class UsersApiController(
    UserManager<ChatUser> users, SignInManager<ChatUser> signIn, PeopleQueries people, ProfileChanges profiles) : ApiController
{
    public const int MaxPageSize = 100;

    // The directory, searched by display name or email as on the new-conversation page.
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

    [HttpGet("{id:long}/image")]
    [ProducesResponseType(StatusCodes.Status501NotImplemented)]
    public IActionResult Image(long id) => ImagesNotYet();

    [HttpPut("me/image")]
    [ProducesResponseType(StatusCodes.Status501NotImplemented)]
    public IActionResult UpdateImage() => ImagesNotYet();

    private ObjectResult AccountGone() =>
        Refuse(StatusCodes.Status401Unauthorized, "The account this token was issued for no longer exists.");

    private ObjectResult ImagesNotYet() =>
        Refuse(StatusCodes.Status501NotImplemented, "Profile pictures are not available through the API yet.");
}

public sealed record UpdateProfileRequest(string? DisplayName);

public sealed record DeleteAccountRequest(string? Password);
