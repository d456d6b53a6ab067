using System.Security.Claims;
using ChatMvc.Chat;
using ChatMvc.Data;

namespace ChatMvc.Admin;

// The actions kept in the audit log, as stored.
public static class AuditActions
{
    public const string Promoted = "promoted";
    public const string Demoted = "demoted";
    public const string Deactivated = "deactivated";
    public const string Reactivated = "reactivated";
    public const string TwoFactorReset = "two-factor-reset";
    public const string AccountCreated = "account-created";
    public const string RegistrationChanged = "registration-changed";
    public const string JoinLinkReset = "join-link-reset";
    public const string BotCreated = "bot-created";
    public const string BotRevoked = "bot-revoked";

    // How the admin page reads an entry: "{actor} {Before} {subject} {After}" ("Ann made Bob an administrator").
    public static (string Before, string After) Phrase(string action) => action switch
    {
        Promoted => ("made", " an administrator"),
        Demoted => ("removed", " as administrator"),
        Deactivated => ("deactivated", string.Empty),
        Reactivated => ("reactivated", string.Empty),
        TwoFactorReset => ("turned off the two-factor sign-in of", string.Empty),
        AccountCreated => ("created the account of", string.Empty),
        RegistrationChanged => ("changed who may join", string.Empty),
        JoinLinkReset => ("made a new join link", string.Empty),
        BotCreated => ("created the bot", string.Empty),
        BotRevoked => ("revoked the bot", string.Empty),
        _ => (action, string.Empty),
    };
}

public sealed record AuditEntry(
    long Id, DateTimeOffset OccurredAt, long? ActorId, string ActorName, string Action, long? SubjectUserId, string? SubjectName, string? Detail);

// Records what an administrator (or a group's owner, for bots) did, and lists it newest first. Written after the
// change itself succeeded: an entry says what happened, never what was only attempted.
public sealed class AuditLog(AuditQueries queries, TimeProvider time)
{
    public const int PageSize = 50;

    public Task RecordAsync(ClaimsPrincipal actor, string action, long? subjectUserId = null, string? subjectName = null, string? detail = null) =>
        queries.AddAsync(new AuditEventRow
        {
            OccurredAt = Clock.ToUnixMs(time.GetUtcNow()),
            ActorId = actor.UserId(),
            ActorName = actor.DisplayName(),
            Action = action,
            SubjectUserId = subjectUserId,
            SubjectName = subjectName,
            Detail = detail is { Length: > 500 } ? detail[..500] : detail,
        });

    public async Task<IReadOnlyList<AuditEntry>> PageAsync(long? beforeId = null, int limit = PageSize) =>
        (await queries.PageAsync(beforeId, limit)).Select(r => new AuditEntry(
            r.Id, Clock.OffsetFromUnixMs(r.OccurredAt), r.ActorId, r.ActorName, r.Action, r.SubjectUserId, r.SubjectName, r.Detail)).ToList();
}
