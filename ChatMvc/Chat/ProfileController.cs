using ChatMvc.Accounts;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Authorize]
public sealed class ProfileController(
    UserManager<ChatUser> users, SignInManager<ChatUser> signIn, PeopleQueries people, ProfileChanges profiles, ViewerClock clock) : Controller
{
    public const int MaxDisplayNameLength = ProfileChanges.MaxDisplayNameLength;

    [HttpGet("/profile")]
    public async Task<IActionResult> Edit() =>
        View(new ProfileModel(User.DisplayName()) { AvatarImageId = await people.AvatarOfAsync(User.UserId()), TimeZone = clock.Zone.Id });

    // Without a timeZone field (an older form) the zone stays as it is.
    [HttpPost("/profile")]
    public async Task<IActionResult> Update(string? displayName, string? timeZone)
    {
        var name = ProfileChanges.NormalizeDisplayName(displayName, out var error);
        string? zoneError = null;
        var zone = timeZone is null ? null : TimeZones.Normalize(timeZone, out zoneError);
        if (name is null || zoneError is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Edit", new ProfileModel(displayName, error)
            {
                AvatarImageId = await people.AvatarOfAsync(User.UserId()),
                TimeZone = timeZone,
                TimeZoneError = zoneError,
            });
        }

        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        var result = await profiles.UpdateAsync(user, name, zone);
        if (!result.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("Edit", new ProfileModel(displayName, string.Join(" ", result.Errors.Select(e => e.Description)))
            {
                AvatarImageId = user.AvatarImageId,
                TimeZone = timeZone,
            });
        }

        // The cookie carries the name and the zone.
        await signIn.RefreshSignInAsync(user);
        return View("Edit", new ProfileModel(name, Saved: true) { AvatarImageId = user.AvatarImageId, TimeZone = user.TimeZone ?? clock.Zone.Id });
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

    public string? TimeZone { get; init; }

    public string? TimeZoneError { get; init; }
}
