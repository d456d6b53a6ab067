using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Admin;

[Authorize]
[AdminOnly]
public sealed class AdminAuditController(AuditLog audit) : Controller
{
    [HttpGet(AdminUrls.Audit)]
    public async Task<IActionResult> Index(long? before)
    {
        var entries = await audit.PageAsync(before, AuditLog.PageSize + 1);
        var page = entries.Take(AuditLog.PageSize).ToList();
        return View(new AdminAuditModel(page, entries.Count > AuditLog.PageSize ? page[^1].Id : null));
    }
}
