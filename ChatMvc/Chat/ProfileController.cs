using ChatMvc.Accounts;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Authorize]
public sealed class ProfileController(
    UserManager<ChatUser> users, SignInManager<ChatUser> signIn, PeopleQueries people, ProfileChanges profiles) : Controller
{
    public const int MaxDisplayNameLength = ProfileChanges.MaxDisplayNameLength;

    [HttpGet("/profile")]
    public async Task<IActionResult> Edit() =>
        View(new ProfileModel(User.DisplayName()) { AvatarImageId = await people.AvatarOfAsync(User.UserId()) });

    [HttpPost("/profile")]
    public async Task<IActionResult> Update(string? displayName)
    {
        var name = ProfileChanges.NormalizeDisplayName(displayName, out var error);
        if (name is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Edit", new ProfileModel(displayName, error) { AvatarImageId = await people.AvatarOfAsync(User.UserId()) });
        }

        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        var result = await profiles.RenameAsync(user, name);
        if (!result.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("Edit", new ProfileModel(displayName, string.Join(" ", result.Errors.Select(e => e.Description)))
            {
                AvatarImageId = user.AvatarImageId,
            });
        }

        await signIn.RefreshSignInAsync(user);
        return View("Edit", new ProfileModel(name, Saved: true) { AvatarImageId = user.AvatarImageId });
    }

    [HttpGet("/users/{id:long}")]
    public async Task<IActionResult> Show(long id)
    {
        var person = (await people.FindManyAsync([id])).SingleOrDefault();
        return person is null ? NotFound() : View(person);
    }
}

public sealed record ProfileModel(string? DisplayName, string? Error = null, bool Saved = false)
{
    public long? AvatarImageId { get; init; }

    public string? AvatarError { get; init; }

    public string? AvatarNotice { get; init; }
}
