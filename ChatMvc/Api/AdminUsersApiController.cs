using ChatMvc.Admin;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

// Administrators only: everyone else gets 404 (AdminOnly). Each change answers the account as it is now, and asking
// for what is already so (promoting an administrator) changes nothing and answers the same.
[AdminOnly]
[Route("api/v1/admin/users")]
[Tags("Administration")]
public sealed class AdminUsersApiController(Administration administration, AdminRegistration registration) : ApiController
{
    [HttpGet("")]
    public async Task<IReadOnlyList<AdminUserJson>> Index() =>
        (await administration.PeopleAsync()).Select(AdminUserJson.From).ToList();

    // For closed registration: the administrator gives the person their first password.
    [HttpPost("")]
    [ProducesResponseType<AdminUserJson>(StatusCodes.Status201Created)]
    public async Task<ActionResult> Create(AdminCreateUserRequest request) =>
        Answer(
            await registration.CreateAccountAsync(User, HttpContext, request.Email, request.DisplayName, request.Password),
            account => Created($"/api/v1/admin/users/{account.Id}", AdminUserJson.From(account)));

    [HttpPost("{id:long}/promote")]
    public async Task<ActionResult<AdminUserJson>> Promote(long id) =>
        Answer(await administration.PromoteAsync(User, id), account => Ok(AdminUserJson.From(account)));

    [HttpPost("{id:long}/demote")]
    public async Task<ActionResult<AdminUserJson>> Demote(long id) =>
        Answer(await administration.DemoteAsync(User, id), account => Ok(AdminUserJson.From(account)));

    // Ends every cookie, bearer token and refresh token of the account at once.
    [HttpPost("{id:long}/deactivate")]
    public async Task<ActionResult<AdminUserJson>> Deactivate(long id) =>
        Answer(await administration.DeactivateAsync(User, id), account => Ok(AdminUserJson.From(account)));

    [HttpPost("{id:long}/reactivate")]
    public async Task<ActionResult<AdminUserJson>> Reactivate(long id) =>
        Answer(await administration.ReactivateAsync(User, id), account => Ok(AdminUserJson.From(account)));

    // Turns two-factor sign-in off for someone who lost their authenticator and recovery codes.
    [HttpPost("{id:long}/reset-two-factor")]
    public async Task<ActionResult<AdminUserJson>> ResetTwoFactor(long id) =>
        Answer(await administration.ResetTwoFactorAsync(User, id), account => Ok(AdminUserJson.From(account)));
}
