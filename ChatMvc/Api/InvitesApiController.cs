using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

[Route("api/v1/conversations/{id:long}/invites")]
[Tags("Invites")]
public sealed class ConversationInvitesApiController(ConversationCache cache, InviteQueries invites) : ConversationScopedApiController(cache)
{
    // The url is the invite page a person opens in a browser; scripts accept with the token.
    [HttpPost("")]
    [ProducesResponseType<InviteJson>(StatusCodes.Status201Created)]
    [OwnerOnly("Only a group's owner can create invite links.")]
    public async Task<ActionResult<InviteJson>> Create()
    {
        var (_, token) = await invites.CreateAsync(ConversationId, CurrentUserId, expiresAt: null);
        var url = Url.Action(nameof(InvitesController.Show), "Invites", new { token }, Request.Scheme)!;
        return Created(url, new InviteJson(token, url));
    }
}

[Route("api/v1/invites")]
[Tags("Invites")]
public sealed class InvitesApiController(
    InviteQueries invites, ConversationQueries conversations, PeopleQueries people, ConversationManagement management, TimeProvider time)
    : ApiController
{
    // Accepting again, as a member already, changes nothing and answers the same.
    [HttpPost("{token}/accept")]
    public async Task<ActionResult<ConversationJson>> Accept(string token)
    {
        var invite = await invites.FindByTokenAsync(token);
        if (invite is null)
        {
            return Refuse(StatusCodes.Status404NotFound, "There is no such invite. Check that the whole token was copied.");
        }

        switch (invite.StateAt(time.GetUtcNow()))
        {
            case InviteState.Expired:
                return Refuse(StatusCodes.Status410Gone, "This invite has expired. Ask the group's owner for a new one.");
            case InviteState.Revoked:
                return Refuse(StatusCodes.Status410Gone, "This invite was withdrawn. Ask the group's owner for a new one.");
        }

        // From the database: a bearer token's display name is only as fresh as the token.
        if ((await people.FindManyAsync([CurrentUserId])).SingleOrDefault() is not { } me)
        {
            return Refuse(StatusCodes.Status401Unauthorized, "The account this token was issued for no longer exists.");
        }

        await management.JoinAsync(invite.ConversationId, CurrentUserId, me.DisplayName);
        return ConversationJson.From((await conversations.FindAsync(invite.ConversationId))!, CurrentUserId);
    }
}
