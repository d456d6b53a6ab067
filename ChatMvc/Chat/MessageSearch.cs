using System.Globalization;
using System.Text;
using ChatMvc.Data;

namespace ChatMvc.Chat;

// A search from the page or the API: the text as typed (q) plus the filters a form or a query string sends on
// their own. Before and after take a day (YYYY-MM-DD, the whole day excluded) or an ISO 8601 instant.
public sealed record SearchRequest(
    string? Q, long? ConversationId = null, long? FromId = null, string? From = null, string? Before = null, string? After = null,
    int? Limit = null, long? Cursor = null);

public readonly record struct MarkedText(string Text, bool Marked);

public sealed record SearchHit(MessageView Message, string ConversationTitle, IReadOnlyList<MarkedText> Body);

// Next: pass as cursor for the following (older) page; null on the last one.
public sealed record SearchResults(SearchQuery Query, IReadOnlyList<SearchHit> Hits, int Limit, long? Next);

// Message search: one rule for the page and the API. Only the searcher's conversations are searched (a
// conversationId they are not in is a 404, as everywhere), and names in from: and in: are resolved to ids here.
public sealed class MessageSearch(SearchQueries search, ConversationQueries conversations, PeopleQueries people, ConversationCache cache)
{
    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    private const char MarkStart = '\u0002';
    private const char MarkEnd = '\u0003';

    public async Task<Outcome<SearchResults>> FindAsync(long userId, SearchRequest request)
    {
        var parsed = SearchQuery.Parse(request.Q);
        if (parsed is Outcome<SearchQuery>.Invalid refused)
        {
            return new Outcome<SearchResults>.Invalid(refused.Errors);
        }

        var query = ((Outcome<SearchQuery>.Done)parsed).Value;
        var errors = new List<FieldError>();
        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add(new FieldError("limit", $"limit must be between 1 and {MaxLimit}."));
        }

        var beforeMs = Bound("before", request.Before, errors) ?? DayStart(query.Before);
        if (query.Before is not null && beforeMs is not null)
        {
            beforeMs = Math.Min(beforeMs.Value, DayStart(query.Before)!.Value);
        }

        var afterMs = Bound("after", request.After, errors) ?? DayEnd(query.After);
        if (query.After is not null && afterMs is not null)
        {
            afterMs = Math.Max(afterMs.Value, DayEnd(query.After)!.Value);
        }

        if (request.ConversationId is { } conversationId && await cache.RoleOfAsync(conversationId, userId) is null)
        {
            return new Outcome<SearchResults>.NotFound($"You are not in a conversation {conversationId}, or it does not exist.");
        }

        var conversationIds = request.ConversationId is { } only ? new List<long> { only } : null;
        if (query.In is { } inName)
        {
            var titled = await ConversationsCalledAsync(userId, inName);
            if (titled.Count == 0)
            {
                errors.Add(new FieldError("in", $"None of your conversations is called \u201c{inName}\u201d."));
            }

            conversationIds = conversationIds is null ? titled : conversationIds.Intersect(titled).ToList();
        }

        var senderIds = request.FromId is { } fromId ? new List<long> { fromId } : null;
        foreach (var name in new[] { query.From, request.From }.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            var named = await PeopleCalledAsync(userId, name!.Trim());
            if (named.Count == 0)
            {
                errors.Add(new FieldError("from", $"No one is called \u201c{name.Trim()}\u201d."));
            }

            senderIds = senderIds is null ? named : senderIds.Intersect(named).ToList();
        }

        if (errors.Count > 0)
        {
            return new Outcome<SearchResults>.Invalid(errors);
        }

        var rows = await search.FindAsync(userId, new MessageSearchFilter(
            query.Words, conversationIds, senderIds, beforeMs, afterMs, request.Cursor, limit + 1));
        var hits = rows.Take(limit)
            .Select(row => new SearchHit(row.Message, row.ConversationTitle, Segments(row.MarkedBody ?? Mark(row.Message.Body ?? string.Empty, query.Words))))
            .ToList();
        return new SearchResults(query, hits, limit, rows.Count > limit ? hits[^1].Message.Id : null);
    }

    // Where the engine cannot mark what matched (MySQL), the words equal to a searched word are marked, ignoring
    // case and accents as the index does.
    private static string Mark(string body, IReadOnlyList<string> words)
    {
        var wanted = words.SelectMany(w => SearchQuery.WordRuns(w).Select(r => w.Substring(r.Start, r.Length))).ToList();
        var compare = CultureInfo.InvariantCulture.CompareInfo;
        var marked = new StringBuilder(body.Length + 16);
        var at = 0;
        foreach (var (start, length) in SearchQuery.WordRuns(body))
        {
            var word = body.Substring(start, length);
            if (wanted.Any(w => compare.Compare(w, word, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) == 0))
            {
                marked.Append(body, at, start - at).Append(MarkStart).Append(word).Append(MarkEnd);
                at = start + length;
            }
        }

        return marked.Append(body, at, body.Length - at).ToString();
    }

    private static List<MarkedText> Segments(string marked)
    {
        var segments = new List<MarkedText>();
        var inMark = false;
        var start = 0;
        for (var i = 0; i <= marked.Length; i++)
        {
            if (i == marked.Length || marked[i] == MarkStart || marked[i] == MarkEnd)
            {
                if (i > start)
                {
                    segments.Add(new MarkedText(marked[start..i], inMark));
                }

                if (i < marked.Length)
                {
                    inMark = marked[i] == MarkStart;
                }

                start = i + 1;
            }
        }

        return segments;
    }

    private async Task<List<long>> ConversationsCalledAsync(long userId, string name)
    {
        var mine = await conversations.ListForUserAsync(userId);
        var exact = mine.Where(c => string.Equals(c.DisplayTitle, name, StringComparison.CurrentCultureIgnoreCase)).ToList();
        return (exact.Count > 0 ? exact : mine.Where(c => c.DisplayTitle.Contains(name, StringComparison.CurrentCultureIgnoreCase)))
            .Select(c => c.Id).ToList();
    }

    private async Task<List<long>> PeopleCalledAsync(long userId, string name)
    {
        if (name.Equals("me", StringComparison.OrdinalIgnoreCase))
        {
            return [userId];
        }

        var found = await people.SearchAsync(name, excludeUserId: 0, limit: 200);
        var exact = found.Where(p => string.Equals(p.DisplayName, name, StringComparison.CurrentCultureIgnoreCase)).ToList();
        return (exact.Count > 0 ? exact : found).Select(p => p.Id).ToList();
    }

    private static long? Bound(string field, string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return field == "before" ? DayStart(day) : DayEnd(day);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return Clock.ToUnixMs(instant);
        }

        errors.Add(new FieldError(field, $"{field} must be a date (YYYY-MM-DD) or an ISO 8601 time such as 2026-03-01T09:30:00Z."));
        return null;
    }

    // Days are UTC days: before a day means before it starts, after a day means after it ends.
    private static long? DayStart(DateOnly? day) =>
        day is { } d ? Clock.ToUnixMs(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) : null;

    private static long? DayEnd(DateOnly? day) => DayStart(day?.AddDays(1)) - 1;
}
