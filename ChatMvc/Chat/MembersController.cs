using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// The members page and what can be done there: add, remove, leave, rename, hide, delete.
[Route("conversations/{conversationId}")]
public sealed class MembersController(
    ConversationCache cache, ConversationQueries conversations, PeopleQueries people, InviteQueries invites,
    ConversationManagement management)
    : ConversationScopedController(cache)
{
    public const int MaxInviteHours = 24 * 365;

    [HttpGet("members")]
    public async Task<IActionResult> Index(string? q) => View(await PageAsync(q));

    [HttpPost("members")]
    public async Task<IActionResult> Add(long[]? selected)
    {
        var details = await DetailsAsync();
        if (!IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var chosen = await people.FindManyAsync((selected ?? []).Distinct().ToList());
        if (chosen.Count == 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", await PageAsync(null, error: "Choose at least one person to add."));
        }

        await management.AddMembersAsync(details, CurrentUserId, chosen);
        return Redirect($"/conversations/{ConversationId}/members");
    }

    [HttpPost("members/{userId}/remove")]
    public async Task<IActionResult> Remove(long userId)
    {
        var details = await DetailsAsync();
        if (!IsOwner || userId == CurrentUserId)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        return await management.RemoveMemberAsync(details, CurrentUserId, userId) == RemovalOutcome.NotAMember
            ? NotFound()
            : Redirect($"/conversations/{ConversationId}/members");
    }

    [HttpPost("leave")]
    public async Task<IActionResult> Leave()
    {
        var details = await DetailsAsync();
        if (details.Kind != ConversationKind.Group)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await management.RemoveMemberAsync(details, CurrentUserId, CurrentUserId);
        return Redirect("/");
    }

    [HttpPost("title")]
    public async Task<IActionResult> Rename(string? title)
    {
        var details = await DetailsAsync();
        if (!IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (ConversationManagement.NormalizeTitle(title, out var error) is not { } trimmed)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", await PageAsync(null, titleError: error));
        }

        await management.RenameAsync(details, CurrentUserId, trimmed);
        return Redirect($"/conversations/{ConversationId}/members");
    }

    [HttpPost("hide")]
    public async Task<IActionResult> Hide()
    {
        var details = await DetailsAsync();
        if (details.Kind != ConversationKind.Direct)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await management.HideAsync(ConversationId, CurrentUserId);
        return Redirect("/");
    }

    [HttpGet("delete")]
    public async Task<IActionResult> ConfirmDelete()
    {
        var details = await DetailsAsync();
        return IsOwner ? View("Delete", details) : StatusCode(StatusCodes.Status403Forbidden);
    }

    [HttpPost("delete")]
    public async Task<IActionResult> Delete()
    {
        if (!IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await management.DeleteAsync(ConversationId);
        return Redirect("/");
    }

    [HttpPost("invites")]
    public async Task<IActionResult> CreateInvite(int? expiresInHours)
    {
        if (!IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        // A value the form does not offer is refused: read as "never", it would make a link that never expires.
        if (ModelState[nameof(expiresInHours)]?.Errors.Count > 0 || expiresInHours is <= 0 or > MaxInviteHours)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", await PageAsync(null, inviteError: "Choose when the link expires: never, or within a year."));
        }

        DateTimeOffset? expires = expiresInHours is { } hours ? DateTimeOffset.UtcNow.AddHours(hours) : null;
        var (_, token) = await invites.CreateAsync(ConversationId, CurrentUserId, expires);
        var link = $"{Request.Scheme}://{Request.Host}{Request.PathBase}/invites/{token}";
        return View("Index", await PageAsync(null, newInviteLink: link));
    }

    [HttpPost("invites/{inviteId}/revoke")]
    public async Task<IActionResult> RevokeInvite(long inviteId)
    {
        if (!IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        return await invites.RevokeAsync(ConversationId, inviteId) ? Redirect($"/conversations/{ConversationId}/members") : NotFound();
    }

    private async Task<ConversationDetails> DetailsAsync() => (await conversations.FindAsync(ConversationId))!;

    private async Task<MembersPageModel> PageAsync(
        string? q, string? error = null, string? titleError = null, string? newInviteLink = null, string? inviteError = null)
    {
        var details = await DetailsAsync();
        var isGroupOwner = IsOwner && details.Kind == ConversationKind.Group;
        var candidates = isGroupOwner
            ? (await people.SearchAsync(q, CurrentUserId)).Where(p => details.Members.All(m => m.UserId != p.Id)).ToList()
            : [];
        return new MembersPageModel
        {
            Conversation = details,
            Title = details.TitleFor(CurrentUserId),
            ViewerId = CurrentUserId,
            IsOwner = isGroupOwner,
            Query = q,
            Candidates = candidates,
            Invites = isGroupOwner ? await invites.ListAsync(ConversationId) : [],
            Error = error,
            TitleError = titleError,
            NewInviteLink = newInviteLink,
            InviteError = inviteError,
        };
    }
}
