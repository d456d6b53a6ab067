using System.Security.Cryptography;
using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

// Who may create an account: anyone (open), whoever holds the join link an administrator made (invite), nobody but
// administrators (closed), or only through the identity provider's sign-in (sso).
public enum RegistrationMode
{
    Open,
    Invite,
    Closed,
    Sso,
}

// How an account is being created.
public enum JoinVia
{
    // The Register page or POST /api/v1/auth/register, with or without a join code.
    Password,

    // The first sign-in through the identity provider.
    Sso,

    // An administrator's create-account form: allowed whatever the mode and domains.
    Administrator,
}

public sealed class RegistrationOptions
{
    public const string Section = "Accounts";

    // The mode until an administrator picks one on the admin page (which is then stored in the database).
    public RegistrationMode RegistrationMode { get; set; } = RegistrationMode.Open;
}

// What applies now. AllowedEmailDomains empty: any address. JoinCode: the secret of the current join link, if made.
public sealed record RegistrationSettings(RegistrationMode Mode, IReadOnlyList<string> AllowedEmailDomains, string? JoinCode)
{
    public static string Name(RegistrationMode mode) => mode.ToString().ToLowerInvariant();

    public bool AllowsDomainOf(string email)
    {
        if (AllowedEmailDomains.Count == 0)
        {
            return true;
        }

        var at = email.LastIndexOf('@');
        var domain = at < 0 ? string.Empty : email[(at + 1)..].Trim().ToLowerInvariant();
        return AllowedEmailDomains.Contains(domain);
    }
}

// The rule for every way in (the Register page, the API, the identity provider's first sign-in): CheckAsync answers
// Done with the mode in force, Forbidden with the reason joining is closed to this way in, or Invalid naming the
// email when its domain is not allowed.
public sealed class RegistrationPolicy(AccountSettingsQueries queries, IOptions<RegistrationOptions> options, TimeProvider time)
{
    public const int MaxDomains = 50;

    public async Task<RegistrationSettings> ReadAsync()
    {
        var row = await queries.ReadAsync();
        var mode = Enum.TryParse<RegistrationMode>(row.RegistrationMode, ignoreCase: true, out var stored) ? stored : options.Value.RegistrationMode;
        var domains = (row.AllowedEmailDomains ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RegistrationSettings(mode, domains, row.JoinCode);
    }

    public async Task<Outcome<RegistrationMode>> CheckAsync(string email, JoinVia via, string? joinCode = null)
    {
        if (via == JoinVia.Administrator)
        {
            return (await ReadAsync()).Mode;
        }

        var settings = await ReadAsync();
        if (ClosedReason(settings, via, joinCode) is { } reason)
        {
            return new Outcome<RegistrationMode>.Forbidden(reason);
        }

        return settings.AllowsDomainOf(email)
            ? settings.Mode
            : Outcome.Invalid<RegistrationMode>("email", DomainMessage(settings));
    }

    // Why the Register page cannot create an account for someone arriving with this join code (null: it can).
    public static string? ClosedReason(RegistrationSettings settings, JoinVia via, string? joinCode) => (settings.Mode, via) switch
    {
        (_, JoinVia.Administrator) => null,
        (RegistrationMode.Closed, _) =>
            "Joining is closed: accounts here are created by an administrator. Ask an administrator to create one for you.",
        (RegistrationMode.Sso, JoinVia.Password) =>
            "New accounts are created only through single sign-on: use the identity provider's button on the sign-in page.",
        (RegistrationMode.Invite, _) when string.IsNullOrEmpty(joinCode) =>
            "Joining needs a join link from an administrator. Ask an administrator for the link and open it to create your account.",
        (RegistrationMode.Invite, _) when settings.JoinCode is null || !FixedTimeEquals(settings.JoinCode, joinCode!) =>
            "This join link is no longer valid: an administrator has reset it. Ask an administrator for the current link.",
        _ => null,
    };

    public static string DomainMessage(RegistrationSettings settings) =>
        $"Only addresses at {string.Join(" or ", settings.AllowedEmailDomains)} can join here. Use your address at "
        + (settings.AllowedEmailDomains.Count == 1 ? "that domain." : "one of those domains.");

    // Stores the mode and the domains (already checked by the caller) and returns what applies now.
    public async Task<RegistrationSettings> SaveAsync(RegistrationMode mode, IReadOnlyList<string> domains)
    {
        var settings = await ReadAsync();
        await queries.SaveRegistrationAsync(
            RegistrationSettings.Name(mode), domains.Count == 0 ? null : string.Join('\n', domains), Clock.ToUnixMs(time.GetUtcNow()));
        if (mode == RegistrationMode.Invite && settings.JoinCode is null)
        {
            await NewJoinCodeAsync();
        }

        return await ReadAsync();
    }

    // A new join link: the old one stops working at once.
    public async Task<string> NewJoinCodeAsync()
    {
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        await queries.SaveJoinCodeAsync(code, Clock.ToUnixMs(time.GetUtcNow()));
        return code;
    }

    // Lower-case domains, one each, without "@"; Invalid naming the field for anything that is not a domain name.
    public static Outcome<IReadOnlyList<string>> ParseDomains(IEnumerable<string?> values, string field)
    {
        var domains = new List<string>();
        foreach (var value in values.SelectMany(v => (v ?? string.Empty).Split([',', '\n', '\r', ' ', ';'], StringSplitOptions.RemoveEmptyEntries)))
        {
            var domain = value.Trim().TrimStart('@').ToLowerInvariant();
            if (domain.Length is 0 or > 253 || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.')
                || !domain.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
            {
                return Outcome.Invalid<IReadOnlyList<string>>(
                    field, $"\"{value.Trim()}\" is not a domain name. Write domains like example.com, separated by commas or spaces.");
            }

            if (!domains.Contains(domain))
            {
                domains.Add(domain);
            }
        }

        return domains.Count > MaxDomains
            ? Outcome.Invalid<IReadOnlyList<string>>(field, $"List at most {MaxDomains} domains.")
            : domains;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(actual));
}
