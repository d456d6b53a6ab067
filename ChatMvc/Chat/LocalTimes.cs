using System.Globalization;
using System.Security.Claims;
using ChatMvc.Security;
using Microsoft.Extensions.Options;

namespace ChatMvc.Chat;

// How a <time> reads: a message's time (the date only when not today), a list's (the time today, else the date),
// or the full date and time.
public enum TimeStyle
{
    Full,
    Message,
    List,
}

public sealed record TimeView(DateTime Utc, TimeStyle Style = TimeStyle.Full);

// The zone people pick on their profile: an IANA id the server knows.
public static class TimeZones
{
    public const string Claim = "time_zone";

    public const int MaxLength = 64;

    // The stored id (IANA, as the browser names zones), or null with a message saying what to enter instead.
    public static string? Normalize(string? id, out string? error)
    {
        var candidate = id?.Trim() ?? string.Empty;
        if (Find(candidate) is not { } zone)
        {
            error = candidate.Length == 0
                ? "Choose a time zone, such as Europe/London or America/New_York."
                : $"'{candidate}' is not a time zone this server knows. Choose one from the list, such as Europe/London or America/New_York.";
            return null;
        }

        error = null;
        return zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;
    }

    public static TimeZoneInfo? Find(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= MaxLength && !id.Contains("..", StringComparison.Ordinal)
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : null;

    // What the profile page offers: the IANA zones of this server, by name.
    public static IReadOnlyList<string> Choices { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.HasIanaId ? z.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : z.Id)
        .Append("UTC")
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();
}

// The signed-in person's clock for pages rendered on the server: times and days in the zone of their profile (kept in
// the cookie as a claim), else App:DefaultTimeZone. With JavaScript the browser re-renders them in its own zone
// (wwwroot/js/times.js), so both must agree on the formats below.
public sealed class ViewerClock(IHttpContextAccessor http, IOptions<AppOptions> options, TimeProvider time)
{
    // Consecutive messages by one sender closer than this share one name and picture.
    public static readonly TimeSpan GroupingWindow = TimeSpan.FromMinutes(5);

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private TimeZoneInfo? zone;

    public TimeZoneInfo Zone => zone ??= TimeZones.Find(http.HttpContext?.User.FindFirstValue(TimeZones.Claim))
        ?? TimeZones.Find(options.Value.DefaultTimeZone)
        ?? TimeZoneInfo.Utc;

    // Worked out once a minute: a window asks for it for every message, and no zone changes its offset within one.
    private (long Minute, DateOnly Day) today = (long.MinValue, default);

    public DateOnly Today
    {
        get
        {
            var now = time.GetUtcNow().UtcDateTime;
            var minute = now.Ticks / TimeSpan.TicksPerMinute;
            if (today.Minute != minute)
            {
                today = (minute, DayOf(now));
            }

            return today.Day;
        }
    }

    public DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, Zone));

    public string Format(TimeView view)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(view.Utc, Zone);
        var day = DateOnly.FromDateTime(local);
        var today = Today;
        var date = local.ToString(day.Year == today.Year ? "d MMM" : "d MMM yyyy", Invariant);
        return view.Style switch
        {
            _ when view.Style != TimeStyle.Full && day == today => local.ToString("HH:mm", Invariant),
            TimeStyle.List => date,
            TimeStyle.Message => $"{date}, {local.ToString("HH:mm", Invariant)}",
            _ => local.ToString("d MMM yyyy, HH:mm", Invariant),
        };
    }

    public string DayLabel(DateOnly day)
    {
        var today = Today;
        return day == today ? "Today"
            : day == today.AddDays(-1) ? "Yesterday"
            : day.ToString(day.Year == today.Year ? "dddd d MMMM" : "dddd d MMMM yyyy", Invariant);
    }

    // The log as it reads: a day separator before the first message of each day, and messages that follow their
    // sender's previous one closely marked as continued. A fragment appended to a page (a poll, an older page)
    // cannot see its neighbours; the script joins it to them.
    public IEnumerable<LogEntry> Arrange(IReadOnlyList<MessageView> messages, bool startsLog = true)
    {
        MessageView? previous = null;
        DateOnly? previousDay = null;
        foreach (var message in messages)
        {
            var day = DayOf(message.CreatedUtc);
            var newDay = previousDay is { } before ? before != day : startsLog;
            var continued = !newDay && previous is not null && Continues(previous, message);
            yield return new LogEntry(message, newDay ? day : null, continued);
            previous = message;
            previousDay = day;
        }
    }

    private static bool Continues(MessageView previous, MessageView message) =>
        previous.Kind == MessageKind.Text && message.Kind == MessageKind.Text
        && message.SenderId is not null && previous.SenderId == message.SenderId
        && message.CreatedAt - previous.CreatedAt <= (long)GroupingWindow.TotalMilliseconds;
}

// One message in the log; DayStarts when a day separator goes before it.
public sealed record LogEntry(MessageView Message, DateOnly? DayStarts, bool Continued);
