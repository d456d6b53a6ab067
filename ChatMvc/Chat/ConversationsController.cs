using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

[Authorize]
public sealed class ConversationsController(
    ConversationCache cache, ConversationQueries conversations, PeopleQueries people, ConversationManagement management) : Controller
{
    public const int MaxTitleLength = ConversationManagement.MaxTitleLength;

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

        Response.DoNotCache();
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
        var outcome = await management.StartAsync(CurrentUserId, selected ?? [], title);
        if (outcome.Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("New", (await PickerAsync(q, selected ?? [])) with { Title = title, Error = outcome.Error });
        }

        return Redirect(ChatUrls.Conversation(outcome.ConversationId));
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
