using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ChatMvc.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    // How long a direct message or a mention waits unread before it goes into a missed-message mail.
    public int EmailDelayMinutes { get; set; } = 10;

    // How often an instance looks for missed messages to mail.
    public int EmailIntervalSeconds { get; set; } = 60;
}

// One mail per absence: when someone has direct messages or mentions waiting unread for the delay and has not
// visited since, one mail lists them; nothing more goes until they visit again. Any number of instances may run
// this: a lease in the database lets one look at a time, and the per-person mark is set by compare-and-set
// before the mail goes, so two senders can never both send it.
public sealed class MissedMessageMail(
    MissedMailQueries queries,
    EmailSender email,
    MailViews views,
    UnsubscribeLinks unsubscribe,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<MissedMessageMail> logger)
{
    public const string LeaseName = "missed-message-mail";

    // Most messages listed in one mail; the rest wait in the app.
    public const int MaxListed = 20;

    private readonly string holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    // Returns how many mails this round sent.
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var leaseEnds = now + (2L * Math.Max(settings.EmailIntervalSeconds, 1) * 1000);
        if (!await queries.TryTakeLeaseAsync(LeaseName, holder, now, leaseEnds))
        {
            return 0;
        }

        // Held for the round and let go after it; the expiry only matters when an instance dies mid-round.
        try
        {
            var due = await queries.DueAsync(now - (settings.EmailDelayMinutes * 60_000L), limit: 2000);
            var sent = 0;
            foreach (var person in due.GroupBy(m => m.UserId))
            {
                var first = person.First();
                if (!await queries.ClaimAsync(first.UserId, first.MissedMailSentAt, now))
                {
                    continue;
                }

                var messages = person.ToList();
                var model = new MissedMessagesMailModel(first.DisplayName, messages.Take(MaxListed).ToList(), messages.Count, unsubscribe.For(first.UserId));
                var html = await views.RenderAsync("/Views/Mail/MissedMessages.cshtml", model);
                var subject = messages.Count == 1 ? $"You missed a message from {first.SenderName}" : $"You missed {messages.Count} messages";
                try
                {
                    await email.SendAsync(first.Email, subject, html, new Dictionary<string, string>
                    {
                        // RFC 8058: mail providers offer "unsubscribe" and post to the link without opening it.
                        ["List-Unsubscribe"] = $"<{model.UnsubscribeUrl}>",
                        ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
                    }, cancellationToken);
                    sent++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Marked as sent already: a mail server that is down costs this one mail, never a flood of repeats.
                    logger.LogWarning(e, "The missed-message mail to user {UserId} could not be sent", first.UserId);
                }
            }

            return sent;
        }
        finally
        {
            await queries.ReleaseLeaseAsync(LeaseName, holder);
        }
    }
}

public sealed record MissedMessagesMailModel(string DisplayName, IReadOnlyList<MissedMessage> Messages, int Total, string UnsubscribeUrl)
{
    // The window, which opens at the first unread message.
    public string LinkTo(MissedMessage message) => UnsubscribeLinks.Absolute(UnsubscribeUrl, ChatUrls.Conversation(message.ConversationId));
}

// The link in each mail that turns the mail off without signing in: it carries the person's id, protected so only
// this app can have made it.
public sealed class UnsubscribeLinks(IDataProtectionProvider protection, IOptions<AppOptions> app, IServer server)
{
    private readonly IDataProtector protector = protection.CreateProtector("ChatMvc.Notifications", "Unsubscribe");

    public const string Path = "/notifications/unsubscribe";

    public string For(long userId) => $"{Origin()}{Path}?token={Uri.EscapeDataString(protector.Protect(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";

    public long? UserOf(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return long.TryParse(protector.Unprotect(token), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    // Another path on the same origin as an absolute link.
    public static string Absolute(string linkOnSite, string path) => new Uri(new Uri(linkOnSite), path).ToString();

    // App:PublicUrl; without it (Development only) the address the server listens on.
    private string Origin() =>
        (PublicOrigin.Parse(app.Value.PublicUrl)?.ToString()
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://localhost").TrimEnd('/');
}

public sealed class MissedMessageMailService(MissedMessageMail mail, TimeProvider time, IOptions<NotificationOptions> options, ILogger<MissedMessageMailService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(options.Value.EmailIntervalSeconds, 1)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await mail.SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a moment; the next round tries again.
                logger.LogWarning(e, "Looking for missed messages to mail failed");
            }
        }
    }
}

public static class MissedMessageMailServiceCollectionExtensions
{
    public static IServiceCollection AddMissedMessageMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section));
        services.AddSingleton<MissedMailQueries>();
        services.AddSingleton<Presence>();
        services.AddScoped<PresenceFilter>();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddSingleton<MailViews>();
        services.AddSingleton<MissedMessageMail>();
        services.AddHostedService<MissedMessageMailService>();
        return services;
    }
}
