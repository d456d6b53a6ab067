using System.Globalization;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatMvc.Chat;

[Authorize]
public sealed class ConversationsController(
    ConversationCache cache, ConversationListCache lists, PeopleQueries people, ConversationManagement management) : Controller
{
    public const int MaxTitleLength = ConversationManagement.MaxTitleLength;

    private long CurrentUserId => User.UserId();

    [HttpGet("/")]
    [HttpGet("/conversations")]
    public async Task<IActionResult> Index()
    {
        var list = await lists.ListAsync(CurrentUserId);
        return View(new ConversationListModel(list.Rows, list.Version));
    }

    // Polled by the list: 204 from the cache while none of the user's conversations changed (given before MVC by
    // IdlePolls; this answers the polls that find a change, and any IdlePolls left to it). A change answers with
    // only the rows changed since v when the cache can tell which they are, else with the whole list.
    [HttpGet("/conversations/poll")]
    [IdlePoll(IdlePollKind.ConversationList)]
    public async Task<IActionResult> Poll(long v, long? current)
    {
        if (await cache.InboxVersionAsync(CurrentUserId) == v)
        {
            return NoContent();
        }

        var list = await lists.ListAsync(CurrentUserId, since: v);
        if (list.Version == v)
        {
            return NoContent();
        }

        Response.DoNotCache();
        var model = new ConversationListModel(list.Rows, list.Version, current);
        if (list.Changed is { } changed && ConversationListDeltaModel.From(model, changed) is { } delta)
        {
            Response.SwapNothing();
            return PartialView("_ConversationListDelta", delta);
        }

        return PartialView("_ConversationList", model);
    }

    [HttpGet("/conversations/new")]
    public async Task<IActionResult> New(string? q, long[]? selected, string? title)
    {
        var model = (await PickerAsync(q, selected ?? [])) with { Title = title };
        if (Request.IsHtmx())
        {
            Response.VaryOnHtmx();
            return PartialView("_PeoplePicker", model);
        }

        return View(model);
    }

    // The Search button without JavaScript: the form comes here by POST, and goes on to the search's own address,
    // which holds the query, who is ticked and the title so far, and nothing else.
    [HttpPost("/conversations/new")]
    public IActionResult Search(string? q, long[]? selected, string? title)
    {
        var query = new List<KeyValuePair<string, string?>> { new("q", q) };
        query.AddRange((selected ?? []).Select(id => new KeyValuePair<string, string?>("selected", id.ToString(CultureInfo.InvariantCulture))));
        if (!string.IsNullOrEmpty(title))
        {
            query.Add(new("title", title));
        }

        return Redirect(QueryHelpers.AddQueryString(ChatUrls.NewConversation, query));
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
