using System.Security.Claims;
using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Security;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Admin;

// Who may join, as administrators change it, and the accounts they create themselves (the only way in when
// registration is closed). Field names are the API's and the admin forms' alike.
public sealed class AdminRegistration(
    RegistrationPolicy policy, AccountRegistration registration, AdminQueries accounts, AuditLog audit, PublicOrigin origin)
{
    public const string JoinPath = "/Identity/Account/Register";

    public static string ModeNames => string.Join(", ", Enum.GetValues<RegistrationMode>().Select(RegistrationSettings.Name));

    public Task<RegistrationSettings> ReadAsync() => policy.ReadAsync();

    // The join link to hand out, while the mode is "invite".
    public string? JoinUrl(RegistrationSettings settings, HttpRequest request)
    {
        if (settings.Mode != RegistrationMode.Invite || settings.JoinCode is not { } code)
        {
            return null;
        }

        var (scheme, host, pathBase) = origin.Of(request);
        return $"{scheme}://{host}{pathBase}{JoinPath}?join={Uri.EscapeDataString(code)}";
    }

    public async Task<Outcome<RegistrationSettings>> UpdateAsync(ClaimsPrincipal admin, string? mode, IEnumerable<string?> domains)
    {
        var errors = new List<FieldError>();
        if (!Enum.TryParse<RegistrationMode>(mode?.Trim(), ignoreCase: true, out var parsed) || int.TryParse(mode, out _))
        {
            errors.Add(new FieldError("registrationMode", $"Choose one of: {ModeNames}."));
        }

        var allowed = RegistrationPolicy.ParseDomains(domains, "allowedEmailDomains");
        if (allowed is Outcome<IReadOnlyList<string>>.Invalid invalid)
        {
            errors.AddRange(invalid.Errors);
        }

        if (errors.Count > 0 || allowed is not Outcome<IReadOnlyList<string>>.Done(var list))
        {
            return new Outcome<RegistrationSettings>.Invalid(errors);
        }

        var before = await policy.ReadAsync();
        var after = await policy.SaveAsync(parsed, list);
        if (before.Mode != after.Mode || !before.AllowedEmailDomains.SequenceEqual(after.AllowedEmailDomains))
        {
            await audit.RecordAsync(admin, AuditActions.RegistrationChanged, detail: Describe(before) + " → " + Describe(after));
        }

        return after;
    }

    // The old link stops working at once.
    public async Task<RegistrationSettings> ResetJoinLinkAsync(ClaimsPrincipal admin)
    {
        await policy.NewJoinCodeAsync();
        await audit.RecordAsync(admin, AuditActions.JoinLinkReset);
        return await policy.ReadAsync();
    }

    public async Task<Outcome<AccountRow>> CreateAccountAsync(
        ClaimsPrincipal admin, HttpContext http, string? email, string? displayName, string? password)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add(new FieldError("email", "Enter the person's email address."));
        }

        var name = ProfileChanges.NormalizeDisplayName(displayName, out var nameError);
        if (name is null)
        {
            errors.Add(new FieldError("displayName", nameError!));
        }

        if (string.IsNullOrEmpty(password))
        {
            errors.Add(new FieldError("password", "Enter a first password, which the person can change after signing in."));
        }

        if (errors.Count > 0)
        {
            return new Outcome<AccountRow>.Invalid(errors);
        }

        var (result, user) = await registration.RegisterAsync(http, email!.Trim(), name!, password!, via: JoinVia.Administrator);
        if (!result.Succeeded)
        {
            return new Outcome<AccountRow>.Invalid(result.Errors.Select(e => new FieldError(FieldOf(e), e.Description)).ToList());
        }

        await audit.RecordAsync(admin, AuditActions.AccountCreated, user.Id, user.DisplayName);
        return await accounts.FindAsync(user.Id) is { } account ? account : new Outcome<AccountRow>.NotFound("The account was deleted meanwhile.");
    }

    // Identity's messages are about the password or, otherwise, the address (invalid, or taken).
    private static string FieldOf(IdentityError error) => error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "email";

    private static string Describe(RegistrationSettings settings) =>
        RegistrationSettings.Name(settings.Mode)
        + (settings.AllowedEmailDomains.Count == 0 ? ", any address" : ", addresses at " + string.Join(", ", settings.AllowedEmailDomains));
}
