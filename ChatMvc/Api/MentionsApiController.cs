using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

[Route("api/v1/mentions")]
[Tags("Messages")]
public sealed class MentionsApiController(MentionQueries mentions) : ApiController
{
    public const int MaxLimit = 100;

    // Messages that mention the caller, newest first, from the conversations they are still in. Pass paging.next as
    // before for older ones.
    [HttpGet("")]
    public async Task<ActionResult<MentionsPageJson>> List(long? before, int? limit)
    {
        var size = limit ?? 20;
        if (size is < 1 or > MaxLimit)
        {
            return Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        var rows = await mentions.MentioningAsync(CurrentUserId, before, size);
        return Ok(new MentionsPageJson(
            rows.Select(row => new SearchHitJson(MessageJson.From(row.Message, CurrentUserId), row.Message.ConversationId, row.ConversationTitle)).ToList(),
            new MentionsPagingJson(size, rows.Count == size ? rows[^1].Message.Id : null)));
    }
}
