using ChatMvc.Admin;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

// What administrators did, newest first; before: the id of the last entry of the previous page.
[AdminOnly]
[Route("api/v1/admin/audit")]
[Tags("Administration")]
public sealed class AdminAuditApiController(AuditLog audit) : ApiController
{
    [HttpGet("")]
    public async Task<IReadOnlyList<AuditEntryJson>> Index(long? before) =>
        (await audit.PageAsync(before)).Select(AuditEntryJson.From).ToList();
}
