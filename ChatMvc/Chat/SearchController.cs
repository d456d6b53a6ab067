using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// The search page: a GET form, so a search works without JavaScript and its URL can be bookmarked or shared.
[Authorize]
public sealed class SearchController(MessageSearch search, Data.ConversationQueries conversations) : Controller
{
    [HttpGet(SearchUrls.Search)]
    public async Task<IActionResult> Index(string? q, long? conversationId, string? from, string? before, string? after, long? cursor)
    {
        var model = new SearchPageModel
        {
            Q = q,
            ConversationId = conversationId,
            From = from,
            Before = before,
            After = after,
            Conversations = await conversations.ListForUserAsync(User.UserId()),
        };
        if (!Request.QueryString.HasValue)
        {
            return View(model);
        }

        var outcome = await search.FindAsync(User.UserId(), new SearchRequest(q, conversationId, From: from, Before: before, After: after, Cursor: cursor));
        if (outcome is Outcome<SearchResults>.Invalid refused)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(model with { Errors = refused.Errors });
        }

        return outcome is Outcome<SearchResults>.Done(var results) ? View(model with { Results = results }) : NotFound();
    }
}

public static class SearchUrls
{
    public const string Search = "/search";

    public static string Page(SearchPageModel search, long? cursor)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("q", search.Q);
        Add("conversationId", search.ConversationId?.ToString(CultureInfo.InvariantCulture));
        Add("from", search.From);
        Add("before", search.Before);
        Add("after", search.After);
        Add("cursor", cursor?.ToString(CultureInfo.InvariantCulture));
        return query.Count == 0 ? Search : Search + "?" + string.Join("&", query);
    }
}

public sealed record SearchPageModel
{
    public string? Q { get; init; }

    public long? ConversationId { get; init; }

    public string? From { get; init; }

    public string? Before { get; init; }

    public string? After { get; init; }

    public IReadOnlyList<ConversationSummary> Conversations { get; init; } = [];

    public SearchResults? Results { get; init; }

    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    // A date field shows back only a date it can hold; anything else was refused with a message.
    public static string? DateValue(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? value : null;
}
