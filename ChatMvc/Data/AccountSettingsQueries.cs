using Dapper;

namespace ChatMvc.Data;

// The one row of account_settings: who may join, as an administrator last set it.
public sealed class AccountSettingsQueries(ChatDb db)
{
    public async Task<AccountSettingsRow> ReadAsync()
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<AccountSettingsRow>(
            "SELECT registration_mode, allowed_email_domains, join_code FROM account_settings WHERE id = 1") ?? new AccountSettingsRow();
    }

    public async Task SaveRegistrationAsync(string mode, string? allowedEmailDomains, long now)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE account_settings SET registration_mode = @mode, allowed_email_domains = @allowedEmailDomains, updated_at = @now WHERE id = 1",
            new { mode, allowedEmailDomains, now });
    }

    public async Task SaveJoinCodeAsync(string joinCode, long now)
    {
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE account_settings SET join_code = @joinCode, updated_at = @now WHERE id = 1", new { joinCode, now });
    }
}

public sealed record AccountSettingsRow
{
    public string? RegistrationMode { get; init; }

    public string? AllowedEmailDomains { get; init; }

    public string? JoinCode { get; init; }
}
