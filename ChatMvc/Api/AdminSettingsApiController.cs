using ChatMvc.Accounts;
using ChatMvc.Admin;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

// Who may join: {"registrationMode": "open"|"invite"|"closed"|"sso", "allowedEmailDomains": [...]}, and the join link.
[AdminOnly]
[Route("api/v1/admin/settings")]
[Tags("Administration")]
public sealed class AdminSettingsApiController(AdminRegistration registration) : ApiController
{
    [HttpGet("")]
    public async Task<AdminSettingsJson> Show() => Json(await registration.ReadAsync());

    [HttpPut("")]
    public async Task<ActionResult<AdminSettingsJson>> Update(AdminSettingsRequest request) =>
        Answer(
            await registration.UpdateAsync(User, request.RegistrationMode, request.AllowedEmailDomains ?? []),
            settings => Ok(Json(settings)));

    // A new join link; the old one stops working at once.
    [HttpPost("join-link")]
    public async Task<AdminSettingsJson> ResetJoinLink() => Json(await registration.ResetJoinLinkAsync(User));

    private AdminSettingsJson Json(RegistrationSettings settings) =>
        new(RegistrationSettings.Name(settings.Mode), settings.AllowedEmailDomains, registration.JoinUrl(settings, Request));
}
