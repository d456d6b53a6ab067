using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Authorize]
public sealed class ConversationsController(
    ConversationCache cache, ConversationQueries conversations, PeopleQueries people) : Controller
{
    public const int MaxTitleLength = 100;

    private long CurrentUserId => User.UserId();

    [HttpGet("/")]
    [HttpGet("/conversations")]
    public async Task<IActionResult> Index()
    {
        var version = await cache.InboxVersionAsync(CurrentUserId);
        return View(new ConversationListModel(await conversations.ListForUserAsync(CurrentUserId), version));
    }

    // Polled by the list: 204 from the cache while none of the user's conversations changed.
    [HttpGet("/conversations/poll")]
    public async Task<IActionResult> Poll(long v)
    {
        var version = await cache.InboxVersionAsync(CurrentUserId);
        if (version == v)
        {
            return NoContent();
        }

        Response.Headers.CacheControl = "no-store";
        return PartialView("_ConversationList", new ConversationListModel(await conversations.ListForUserAsync(CurrentUserId), version));
    }

    [HttpGet("/conversations/new")]
    public async Task<IActionResult> New(string? q, long[]? selected)
    {
        var model = await PickerAsync(q, selected ?? []);
        if (Request.IsHtmx())
        {
            Response.VaryOnHtmx();
            return PartialView("_PeoplePicker", model);
        }

        return View(model);
    }

    [HttpPost("/conversations")]
    public async Task<IActionResult> Create(long[]? selected, string? title, string? q)
    {
        var memberIds = (selected ?? []).Where(id => id != CurrentUserId).Distinct().ToList();
        var trimmedTitle = title?.Trim();
        var error = memberIds.Count switch
        {
            0 => "Choose at least one person to talk to.",
            > 1 when string.IsNullOrEmpty(trimmedTitle) => "A group needs a title.",
            _ when trimmedTitle?.Length > MaxTitleLength => $"A title can be at most {MaxTitleLength} characters.",
            _ => null,
        };
        if (error is null && !await conversations.UsersExistAsync(memberIds))
        {
            error = "One of the people you chose no longer has an account. Search again.";
        }

        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("New", (await PickerAsync(q, memberIds)) with { Title = title, Error = error });
        }

        // One person and no title is a direct conversation; a title always makes a group, so a group can
        // start with one other person and grow.
        var id = memberIds.Count == 1 && string.IsNullOrEmpty(trimmedTitle)
            ? await conversations.GetOrCreateDirectAsync(CurrentUserId, memberIds[0])
            : await conversations.CreateGroupAsync(CurrentUserId, trimmedTitle!, memberIds);
        await cache.TouchInboxesAsync([CurrentUserId, .. memberIds]);
        return Redirect($"/conversations/{id}");
    }

    private async Task<NewConversationModel> PickerAsync(string? q, IReadOnlyCollection<long> selectedIds)
    {
        var selected = await people.FindManyAsync(selectedIds.Where(id => id != CurrentUserId).ToList());
        var results = await people.SearchAsync(q, CurrentUserId);
        return new NewConversationModel
        {
            Query = q,
            Selected = selected,
            Results = results.Where(p => selected.All(s => s.Id != p.Id)).ToList(),
        };
    }
}
