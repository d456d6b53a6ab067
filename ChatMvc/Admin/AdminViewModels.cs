using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;

namespace ChatMvc.Admin;

public sealed record AdminPeopleModel(IReadOnlyList<AccountRow> People, long ViewerId);

// The create-account form, again with what was typed and each field's error.
public sealed record AdminNewPersonModel(string? Email = null, string? DisplayName = null, IReadOnlyList<FieldError>? Errors = null)
{
    public string? ErrorOf(string field) => Errors?.FirstOrDefault(e => e.Field == field).Message;
}

public sealed record AdminSettingsModel(RegistrationSettings Settings, string? JoinUrl)
{
    // What was typed, when the form comes back with errors.
    public string? Mode { get; init; }

    public string? Domains { get; init; }

    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    public string? ErrorOf(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;
}

public sealed record AdminAuditModel(IReadOnlyList<AuditEntry> Entries, long? OlderBefore);
