using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Notifications;

// The profile's section for the missed-message mail, whichever profile action renders the page.
public sealed class MissedMailSettingsViewComponent(MissedMailQueries queries) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() => View(await queries.WantsMailAsync(UserClaimsPrincipal.UserId()));
}
