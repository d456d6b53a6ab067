using ChatMvc.Accounts;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Admin;

public static class AdminSteps
{
    // Sets who may join as an administrator would on the admin page, straight through the policy.
    public static async Task<RegistrationSettings> SetRegistrationAsync(this ChatAppFactory app, RegistrationMode mode, params string[] domains) =>
        await app.Services.GetRequiredService<RegistrationPolicy>().SaveAsync(mode, domains);

    // The fixtures of most test classes are shared, so whoever registered first there is an administrator; this makes
    // someone else one too (or, with isAdmin false, not one), for tests that need to know.
    public static async Task MakeAdministratorAsync(this ChatAppFactory app, long userId, bool isAdmin = true)
    {
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("UPDATE users SET is_admin = @isAdmin WHERE id = @userId", new { userId, isAdmin });
    }
}
