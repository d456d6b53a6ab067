using ChatMvc.Accounts;
using ChatMvc.Data;

namespace ChatMvc.Admin;

// An account as administrators see it: with its email and last activity (lastSeenAt: when the person last opened a
// page; null if never since it was recorded).
public sealed record AdminUserJson(
    long Id, string DisplayName, string? Email, bool IsAdmin, bool Deactivated, DateTimeOffset? DeactivatedAt, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSeenAt, bool TwoFactorEnabled)
{
    public static AdminUserJson From(AccountRow row) => new(
        row.Id, row.DisplayName, row.Email, row.IsAdmin, row.DeactivatedAt is not null,
        row.DeactivatedAt is { } deactivated ? Clock.OffsetFromUnixMs(deactivated) : null,
        Clock.OffsetFromUnixMs(row.CreatedAt),
        row.LastSeenAt is { } seen ? Clock.OffsetFromUnixMs(seen) : null,
        row.TwoFactorEnabled);
}

// joinUrl: the join link while the mode is "invite" (null otherwise).
public sealed record AdminSettingsJson(string RegistrationMode, IReadOnlyList<string> AllowedEmailDomains, string? JoinUrl);

public sealed record AdminSettingsRequest(string? RegistrationMode, IReadOnlyList<string?>? AllowedEmailDomains);

public sealed record AdminCreateUserRequest(string? Email, string? DisplayName, string? Password);

public sealed record AuditEntryJson(
    long Id, DateTimeOffset OccurredAt, long? ActorId, string ActorName, string Action, long? SubjectUserId, string? SubjectName, string? Detail)
{
    public static AuditEntryJson From(AuditEntry e) =>
        new(e.Id, e.OccurredAt, e.ActorId, e.ActorName, e.Action, e.SubjectUserId, e.SubjectName, e.Detail);
}
