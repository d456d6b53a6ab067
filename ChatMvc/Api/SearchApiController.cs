using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

[Route("api/v1/search")]
[Tags("Search")]
public sealed class SearchApiController(MessageSearch search) : ApiController
{
    // Messages with every word of q in the caller's conversations, newest first. q may carry from:, in:, before: and
    // after: as typed in the app; the parameters narrow the same way. from is a user id; before and after take a
    // date (YYYY-MM-DD, that whole UTC day excluded) or an ISO 8601 time. Pass paging.next as cursor for older results.
    [HttpGet("")]
    public async Task<ActionResult<SearchPageJson>> Find(
        string? q, long? conversationId, long? from, string? before, string? after, int? limit, long? cursor) =>
        Answer(
            await search.FindAsync(CurrentUserId, new SearchRequest(q, conversationId, from, Before: before, After: after, Limit: limit, Cursor: cursor)),
            results => Ok(SearchPageJson.From(results, CurrentUserId)));
}
