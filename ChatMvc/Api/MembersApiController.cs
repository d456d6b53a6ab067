using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

[Route("api/v1/conversations/{id:long}/members")]
[Tags("Members")]
public sealed class MembersApiController(
    ConversationCache cache, ConversationQueries conversations, PeopleQueries people, ConversationManagement management)
    : ConversationScopedApiController(cache)
{
    [HttpPost("")]
    [OwnerOnly("Only the group's owner can add people, and no one can be added to a direct conversation: "
        + "start a group with POST /api/v1/conversations and a title.")]
    public async Task<ActionResult<ConversationJson>> Add(AddMemberRequest request)
    {
        if (request.UserId is not { } userId)
        {
            return Invalid("userId", "Send the id of the person to add as userId.");
        }

        var details = await DetailsAsync();
        if (details.Members.Any(m => m.UserId == userId))
        {
            return Refuse(StatusCodes.Status409Conflict, $"User {userId} is already a member.");
        }

        if ((await people.FindManyAsync([userId])).SingleOrDefault() is not { } person)
        {
            return Invalid("userId", $"There is no user {userId}.");
        }

        await management.AddMembersAsync(details, CurrentUserId, [person]);
        return ConversationJson.From(await DetailsAsync(), CurrentUserId);
    }

    // Removing yourself is leaving; the owner may remove anyone else.
    [HttpDelete("{userId:long}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Remove(long userId) =>
        Answer(await management.RemoveAsync(await DetailsAsync(), Membership, userId), _ => NoContent());

    private async Task<ConversationDetails> DetailsAsync() => (await conversations.FindAsync(ConversationId))!;
}

public sealed record AddMemberRequest(long? UserId);
