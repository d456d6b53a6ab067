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
    public async Task<ActionResult<ConversationJson>> Add(AddMemberRequest request)
    {
        if (request.UserId is not { } userId)
        {
            return Invalid("userId", "Send the id of the person to add as userId.");
        }

        var details = await DetailsAsync();
        if (!IsOwner)
        {
            return Refuse(StatusCodes.Status403Forbidden, details.Kind == ConversationKind.Group
                ? "Only the group's owner can add people."
                : "No one can be added to a direct conversation. Start a group with POST /api/v1/conversations and a title.");
        }

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
    public async Task<IActionResult> Remove(long userId)
    {
        var details = await DetailsAsync();
        if (userId == CurrentUserId && details.Kind != ConversationKind.Group)
        {
            return Refuse(
                StatusCodes.Status403Forbidden,
                $"A direct conversation cannot be left. DELETE /api/v1/conversations/{ConversationId} hides it from your list.");
        }

        if (userId != CurrentUserId && !IsOwner)
        {
            return Refuse(StatusCodes.Status403Forbidden, "Only the group's owner can remove other members.");
        }

        return await management.RemoveMemberAsync(details, CurrentUserId, userId) == RemovalOutcome.NotAMember
            ? Refuse(StatusCodes.Status404NotFound, $"User {userId} is not a member of this conversation.")
            : NoContent();
    }

    private async Task<ConversationDetails> DetailsAsync() => (await conversations.FindAsync(ConversationId))!;
}

public sealed record AddMemberRequest(long? UserId);
