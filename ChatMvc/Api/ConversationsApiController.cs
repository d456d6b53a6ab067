using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

// The signed-in person's conversations as a collection: list, start, find the direct one with someone.
[Route("api/v1/conversations")]
[Tags("Conversations")]
public sealed class ConversationsApiController(
    ConversationCache cache, ConversationListCache lists, ConversationQueries conversations, ConversationManagement management) : ApiController
{
    // The rows the list page shows, from the cache: a script asking again while nothing changed runs no SQL.
    [HttpGet("")]
    public async Task<ActionResult<ConversationListJson>> List() =>
        new ConversationListJson((await lists.ListAsync(CurrentUserId)).Rows.Select(ConversationSummaryJson.From).ToList());

    // One other person and no title is the direct conversation with them: 200 when it existed, 201 when created.
    [HttpPost("")]
    [ProducesResponseType<ConversationJson>(StatusCodes.Status200OK)]
    [ProducesResponseType<ConversationJson>(StatusCodes.Status201Created)]
    public async Task<ActionResult<ConversationJson>> Start(StartConversationRequest request)
    {
        var outcome = await management.StartAsync(CurrentUserId, request.ParticipantIds ?? [], request.Title);
        if (outcome.Refusal is { } refusal)
        {
            return Invalid(refusal is StartRefusal.GroupWithoutTitle or StartRefusal.TitleTooLong or StartRefusal.UnreadableTitle ? "title" : "participantIds", outcome.Error!);
        }

        var json = ConversationJson.From((await conversations.FindAsync(outcome.ConversationId))!, CurrentUserId);
        return outcome.Created ? Created($"/api/v1/conversations/{json.Id}", json) : Ok(json);
    }

    [HttpGet("with/{userId:long}")]
    public async Task<ActionResult<ConversationJson>> With(long userId)
    {
        var id = await conversations.FindDirectAsync(CurrentUserId, userId);
        if (id is null || await cache.RoleOfAsync(id.Value, CurrentUserId) is null)
        {
            return Refuse(
                StatusCodes.Status404NotFound,
                $"You have no direct conversation with user {userId}. Start one with POST /api/v1/conversations {{\"participantIds\": [{userId}]}}.");
        }

        return ConversationJson.From((await conversations.FindAsync(id.Value))!, CurrentUserId);
    }
}

// One conversation the signed-in person is a member of.
[Route("api/v1/conversations/{id:long}")]
[Tags("Conversations")]
public sealed class ConversationApiController(
    ConversationCache cache, ConversationQueries conversations, ConversationManagement management) : ConversationScopedApiController(cache)
{
    [HttpGet("")]
    public async Task<ActionResult<ConversationJson>> Show() =>
        ConversationJson.From((await conversations.FindAsync(ConversationId))!, CurrentUserId);

    // As on the pages: a direct conversation is hidden from the list until a new message arrives; a group is
    // deleted for everyone, by its owner only.
    [HttpDelete("")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete() =>
        Answer(await management.HideOrDeleteAsync((await conversations.FindAsync(ConversationId))!, Membership), _ => NoContent());
}

public sealed record StartConversationRequest(IReadOnlyList<long>? ParticipantIds, string? Title);
