using System.Globalization;

namespace ChatMvc.Admin;

// Every URL of the admin area, built in one place; the controllers' [Route] templates agree with these.
public static class AdminUrls
{
    public const string People = "/admin";

    public const string NewPerson = "/admin/people/new";

    public const string CreatePerson = "/admin/people";

    public const string Settings = "/admin/settings";

    public const string JoinLink = "/admin/settings/join-link";

    public const string Audit = "/admin/audit";

    public static string Person(long id) => Format($"/admin#person-{id}");

    public static string Promote(long id) => Format($"/admin/people/{id}/promote");

    public static string Demote(long id) => Format($"/admin/people/{id}/demote");

    public static string Deactivate(long id) => Format($"/admin/people/{id}/deactivate");

    public static string Reactivate(long id) => Format($"/admin/people/{id}/reactivate");

    public static string ResetTwoFactor(long id) => Format($"/admin/people/{id}/reset-two-factor");

    public static string OlderAudit(long beforeId) => Format($"/admin/audit?before={beforeId}");

    private static string Format(FormattableString url) => url.ToString(CultureInfo.InvariantCulture);
}
