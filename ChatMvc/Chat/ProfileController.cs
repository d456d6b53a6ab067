using ChatMvc.Accounts;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Authorize]
public sealed class ProfileController(
    UserManager<ChatUser> users, SignInManager<ChatUser> signIn, PeopleQueries people,
    ConversationQueries conversations, ConversationCache cache) : Controller
{
    public const int MaxDisplayNameLength = 100;

    [HttpGet("/profile")]
    public IActionResult Edit() => View(new ProfileModel(User.DisplayName()));

    [HttpPost("/profile")]
    public async Task<IActionResult> Update(string? displayName)
    {
        var name = displayName?.Trim() ?? string.Empty;
        if (name.Length is 0 or > MaxDisplayNameLength)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Edit", new ProfileModel(displayName, $"A display name needs 1 to {MaxDisplayNameLength} characters."));
        }

        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        user.DisplayName = name;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("Edit", new ProfileModel(displayName, string.Join(" ", result.Errors.Select(e => e.Description))));
        }

        // Cached messages carry the old name; drop them so every conversation shows the new one.
        foreach (var conversationId in await conversations.ConversationIdsOfAsync(user.Id))
        {
            await cache.ConversationChangedAsync(conversationId);
        }

        await signIn.RefreshSignInAsync(user);
        return View("Edit", new ProfileModel(name, Saved: true));
    }

    [HttpGet("/users/{id:long}")]
    public async Task<IActionResult> Show(long id)
    {
        var person = (await people.FindManyAsync([id])).SingleOrDefault();
        return person is null ? NotFound() : View(person);
    }
}

public sealed record ProfileModel(string? DisplayName, string? Error = null, bool Saved = false);
