using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Accounts;

// A row of the users table. [PersonalData] marks what "Download personal data" hands back to the person.
public sealed class ChatUser
{
    [PersonalData]
    public long Id { get; set; }

    [PersonalData]
    public string? UserName { get; set; }

    public string? NormalizedUserName { get; set; }

    [PersonalData]
    public string? Email { get; set; }

    public string? NormalizedEmail { get; set; }

    [PersonalData]
    public bool EmailConfirmed { get; set; }

    public string? PasswordHash { get; set; }

    public string? SecurityStamp { get; set; }

    // Compared on every UPDATE so two requests editing the same account cannot silently overwrite each other.
    public string? ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString();

    [PersonalData]
    public string? PhoneNumber { get; set; }

    [PersonalData]
    public bool PhoneNumberConfirmed { get; set; }

    [PersonalData]
    public bool TwoFactorEnabled { get; set; }

    public DateTimeOffset? LockoutEnd { get; set; }

    public bool LockoutEnabled { get; set; }

    public int AccessFailedCount { get; set; }

    public string? AuthenticatorKey { get; set; }

    public string? RecoveryCodes { get; set; }

    [PersonalData]
    public string DisplayName { get; set; } = string.Empty;

    public long? AvatarImageId { get; set; }

    // An IANA zone id; null until the person picks one (App:DefaultTimeZone applies meanwhile).
    [PersonalData]
    public string? TimeZone { get; set; }

    [PersonalData]
    public DateTime CreatedAt { get; set; }

    public DateTime? DeactivatedAt { get; set; }

    // Read with the row, never written by UpdateAsync: only promotion and demotion change it (AdminQueries), so a copy
    // of the account read before one cannot undo it.
    public bool IsAdmin { get; set; }

    public override string ToString() => UserName ?? string.Empty;
}
