using System.Net;
using AngleSharp.Html.Parser;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Notifications;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ChatMvc.Tests.Notifications;

// The app with its mail going to a real SMTP server in the test run. Rounds of the mailer are run by the tests
// (the background one waits an hour), with the default ten-minute delay.
public abstract class MailApp(Engine engine) : ChatAppFactory(engine)
{
    public SmtpTestServer Smtp { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var settings = Smtp.AppSettings();
        settings["Notifications:EmailIntervalSeconds"] = "3600";
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Smtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

public sealed class SqliteMailApp() : MailApp(Engine.Sqlite);

public sealed class MariaDbMailApp() : MailApp(Engine.MariaDb);

public abstract class MissedMessageMailTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : MailApp
{
    private static readonly HtmlParser Html = new();

    [Fact]
    public async Task A_direct_message_left_unread_past_the_delay_is_mailed_once_with_its_sender_text_and_a_link()
    {
        using var ann = await app.NewPersonAsync("Ann Mail");
        using var bo = await app.NewPersonAsync("Bo Mail");
        var id = await ann.StartConversationAsync(null, bo);
        await AwayAsync(bo, minutes: 30);
        await ann.SendAsync(id, "Are you there?");
        await app.BackdateMessageAsync(id, "Are you there?", DateTime.UtcNow.AddMinutes(-11));

        await RoundAsync();

        var mail = Assert.Single(app.Smtp.To(bo.User.Email));
        Assert.Contains("Ann Mail", mail.Subject);
        var body = Html.ParseDocument(mail.HtmlBody ?? "");
        var item = Assert.Single(body.QuerySelectorAll("li"));
        Assert.Contains("Ann Mail", item.TextContent);
        Assert.Contains("Are you there?", item.TextContent);
        Assert.Equal($"{ChatAppFactory.PublicUrl}/conversations/{id}", item.QuerySelector("a")!.GetAttribute("href"));
        var unsubscribe = body.QuerySelector("a.unsubscribe-link")!.GetAttribute("href")!;
        Assert.StartsWith($"{ChatAppFactory.PublicUrl}{UnsubscribeLinks.Path}?token=", unsubscribe);
        Assert.Equal($"<{unsubscribe}>", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Empty(app.Smtp.To(ann.User.Email));

        await ann.SendAsync(id, "Hello again?");
        await app.BackdateMessageAsync(id, "Hello again?", DateTime.UtcNow.AddMinutes(-11));
        await RoundAsync();
        Assert.Single(app.Smtp.To(bo.User.Email));
    }

    [Fact]
    public async Task Two_senders_looking_at_the_same_moment_send_one_mail()
    {
        using var ann = await app.NewPersonAsync("Ann Race");
        using var bo = await app.NewPersonAsync("Bo Race");
        var id = await ann.StartConversationAsync(null, bo);
        await AwayAsync(bo, minutes: 30);
        await ann.SendAsync(id, "Only once");
        await app.BackdateMessageAsync(id, "Only once", DateTime.UtcNow.AddMinutes(-11));
        var senders = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<MissedMessageMail>(app.Services)).ToList();

        var sent = await Task.WhenAll(senders.Select(sender => sender.SendDueAsync()));

        Assert.Equal(1, sent.Sum());
        Assert.Single(app.Smtp.To(bo.User.Email));
    }

    [Fact]
    public async Task The_lease_goes_to_one_holder_at_a_time_and_to_another_once_it_runs_out()
    {
        var queries = app.Services.GetRequiredService<MissedMailQueries>();
        var name = $"lease-{Guid.NewGuid():N}";

        Assert.True(await queries.TryTakeLeaseAsync(name, "first", now: 1000, expiresAt: 3000));
        Assert.False(await queries.TryTakeLeaseAsync(name, "second", now: 2000, expiresAt: 4000));
        Assert.True(await queries.TryTakeLeaseAsync(name, "first", now: 2500, expiresAt: 5000));
        Assert.False(await queries.TryTakeLeaseAsync(name, "second", now: 4999, expiresAt: 7000));
        Assert.True(await queries.TryTakeLeaseAsync(name, "second", now: 5001, expiresAt: 7000));
        Assert.False(await queries.TryTakeLeaseAsync(name, "first", now: 6000, expiresAt: 8000));
    }

    [Fact]
    public async Task Of_two_senders_that_read_the_same_mark_only_one_may_claim_the_mail()
    {
        using var bo = await app.NewPersonAsync("Bo Claim");
        var queries = app.Services.GetRequiredService<MissedMailQueries>();

        Assert.True(await queries.ClaimAsync(bo.Id, previousSentAt: null, now: 1000));
        Assert.False(await queries.ClaimAsync(bo.Id, previousSentAt: null, now: 1001));
        Assert.True(await queries.ClaimAsync(bo.Id, previousSentAt: 1000, now: 2000));
        Assert.False(await queries.ClaimAsync(bo.Id, previousSentAt: 1000, now: 2001));
    }

    [Fact]
    public async Task Nothing_is_mailed_before_the_delay_for_read_or_deleted_messages_or_group_messages_without_a_mention()
    {
        using var ann = await app.NewPersonAsync("Ann Quiet");
        using var bo = await app.NewPersonAsync("Bo Quiet");
        using var cy = await app.NewPersonAsync("Cy Quiet");
        var direct = await ann.StartConversationAsync(null, bo);
        var group = await ann.StartConversationAsync("Quiet group", bo, cy);
        await AwayAsync(bo, minutes: 30);
        await AwayAsync(cy, minutes: 30);
        await ann.SendAsync(direct, "Just now");
        await ann.SendAsync(group, "To the group");
        await app.BackdateMessageAsync(group, "To the group", DateTime.UtcNow.AddMinutes(-11));

        await RoundAsync();
        Assert.Empty(app.Smtp.To(bo.User.Email));
        Assert.Empty(app.Smtp.To(cy.User.Email));

        await app.BackdateMessageAsync(direct, "Just now", DateTime.UtcNow.AddMinutes(-11));
        await bo.OpenAsync(direct);
        await AwayAsync(bo, minutes: 30);
        await ann.SendAsync(direct, "Taken back");
        var taken = await MessageIdAsync(direct, "Taken back");
        await ann.DeleteMessageAsync(direct, taken);
        await RoundAsync();
        Assert.Empty(app.Smtp.To(bo.User.Email));
    }

    [Fact]
    public async Task A_mention_in_a_group_is_mailed_and_a_conversation_set_to_nothing_is_not()
    {
        using var ann = await app.NewPersonAsync("Ann Mention");
        using var bo = await app.NewPersonAsync("Bo Mention");
        using var cy = await app.NewPersonAsync("Cy Mention");
        var group = await ann.StartConversationAsync("Mention group", bo, cy);
        var direct = await ann.StartConversationAsync(null, cy);
        Assert.Equal(HttpStatusCode.Redirect, (await cy.PostWithTokenAsync(ChatUrls.Notifications(direct), new() { ["level"] = "none" })).StatusCode);
        await AwayAsync(bo, minutes: 30);
        await AwayAsync(cy, minutes: 30);
        await ann.SendAsync(group, $"@{bo.User.DisplayName} can you look?");
        await app.BackdateMessageAsync(group, $"@{bo.User.DisplayName} can you look?", DateTime.UtcNow.AddMinutes(-11));
        await ann.SendAsync(direct, "Muted here");
        await app.BackdateMessageAsync(direct, "Muted here", DateTime.UtcNow.AddMinutes(-11));

        await RoundAsync();

        var mail = Assert.Single(app.Smtp.To(bo.User.Email));
        var item = Assert.Single(Html.ParseDocument(mail.HtmlBody ?? "").QuerySelectorAll("li")).TextContent;
        Assert.Contains("Mention group", item);
        Assert.Contains("can you look?", item);
        Assert.Empty(app.Smtp.To(cy.User.Email));
    }

    [Fact]
    public async Task After_a_visit_the_next_absence_gets_its_own_mail_listing_only_what_came_since()
    {
        using var ann = await app.NewPersonAsync("Ann Again");
        using var bo = await app.NewPersonAsync("Bo Again");
        var id = await ann.StartConversationAsync(null, bo);
        await AwayAsync(bo, minutes: 60);
        await ann.SendAsync(id, "First absence");
        await app.BackdateMessageAsync(id, "First absence", DateTime.UtcNow.AddMinutes(-50));
        await RoundAsync();
        Assert.Single(app.Smtp.To(bo.User.Email));

        // Mailed 40 minutes ago, back 30 minutes ago (without reading), away since.
        await SetAsync(bo, "missed_mail_sent_at", DateTime.UtcNow.AddMinutes(-40));
        await SetAsync(bo, "last_seen_at", DateTime.UtcNow.AddMinutes(-30));
        await ann.SendAsync(id, "Second absence");
        await app.BackdateMessageAsync(id, "Second absence", DateTime.UtcNow.AddMinutes(-11));
        await RoundAsync();

        var mails = app.Smtp.To(bo.User.Email);
        Assert.Equal(2, mails.Count);
        var second = Html.ParseDocument(mails[1].HtmlBody ?? "").QuerySelectorAll("li").Select(li => li.TextContent).ToList();
        Assert.Contains("Second absence", Assert.Single(second));
    }

    [Fact]
    public async Task A_visit_counts_as_being_back_and_the_poll_and_the_api_do_not()
    {
        using var ann = await app.NewPersonAsync("Ann Seen");
        using var bo = await app.NewPersonAsync("Bo Seen");
        var id = await ann.StartConversationAsync(null, bo);
        await AwayAsync(bo, minutes: 30);
        var before = await ValueAsync(bo, "last_seen_at");

        await bo.PollAsync(id, after: 0, v: 0);
        Assert.Equal(HttpStatusCode.OK, (await bo.Client.Http.GetAsync($"/api/v1/conversations/{id}/messages")).StatusCode);
        Assert.Equal(before, await ValueAsync(bo, "last_seen_at"));

        await bo.Client.GetAsync("/");
        Assert.True(await ValueAsync(bo, "last_seen_at") > before);
    }

    [Fact]
    public async Task The_profile_turns_the_mail_off_and_on()
    {
        using var ann = await app.NewPersonAsync("Ann Off");
        using var bo = await app.NewPersonAsync("Bo Off");
        var id = await ann.StartConversationAsync(null, bo);
        var profile = await bo.Client.GetAsync("/profile");
        Assert.NotNull(profile.Document.QuerySelector("#missed-mail[checked]"));

        var saved = await bo.Client.SubmitAsync(profile, new() { ["wanted"] = "false" }, "form[action='/profile/missed-mail']");
        Assert.Equal("You will not get mail about messages you miss.", saved.Document.QuerySelector(".status-message")!.TextContent.Trim());
        Assert.Null(saved.Document.QuerySelector("#missed-mail[checked]"));
        await AwayAsync(bo, minutes: 30);
        await ann.SendAsync(id, "Unheard");
        await app.BackdateMessageAsync(id, "Unheard", DateTime.UtcNow.AddMinutes(-11));
        await RoundAsync();
        Assert.Empty(app.Smtp.To(bo.User.Email));

        var again = await bo.Client.SubmitAsync(saved, new() { ["wanted"] = "true" }, "form[action='/profile/missed-mail']");
        Assert.NotNull(again.Document.QuerySelector("#missed-mail[checked]"));
    }

    [Fact]
    public async Task The_link_in_the_mail_stops_the_mail_without_signing_in_and_a_forged_link_is_refused()
    {
        using var ann = await app.NewPersonAsync("Ann Link");
        using var bo = await app.NewPersonAsync("Bo Link");
        var id = await ann.StartConversationAsync(null, bo);
        await AwayAsync(bo, minutes: 30);
        await ann.SendAsync(id, "Read me");
        await app.BackdateMessageAsync(id, "Read me", DateTime.UtcNow.AddMinutes(-11));
        await RoundAsync();
        var link = new Uri(Html.ParseDocument(Assert.Single(app.Smtp.To(bo.User.Email)).HtmlBody ?? "").QuerySelector("a.unsubscribe-link")!.GetAttribute("href")!);

        using var anonymous = new WebSession(app);
        var page = await anonymous.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(1, await ValueAsync(bo, "missed_mail"));
        var done = await anonymous.SubmitAsync(page, []);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("no more mail", done.Document.QuerySelector("main [role=status]")!.TextContent);
        Assert.Equal(0, await ValueAsync(bo, "missed_mail"));

        var forged = await anonymous.GetAsync($"{UnsubscribeLinks.Path}?token=not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("not valid", forged.Document.QuerySelector("main [role=alert]")!.TextContent);
    }

    [Fact]
    public async Task A_mail_provider_unsubscribes_with_one_click_post_and_no_form_of_ours()
    {
        using var bo = await app.NewPersonAsync("Bo Click");
        var link = app.Services.GetRequiredService<UnsubscribeLinks>().For(bo.Id);
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri(link).PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await ValueAsync(bo, "missed_mail"));
    }

    private async Task RoundAsync() => await app.Services.GetRequiredService<MissedMessageMail>().SendDueAsync();

    private Task AwayAsync(Participant person, int minutes) => SetAsync(person, "last_seen_at", DateTime.UtcNow.AddMinutes(-minutes));

    private async Task SetAsync(Participant person, string column, DateTime utc)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        await connection.ExecuteAsync($"UPDATE users SET {column} = @at WHERE id = @id", new { at = Clock.ToUnixMs(utc), id = person.Id });
        app.Services.GetRequiredService<Presence>().Forget(person.Id);
    }

    private async Task<long> ValueAsync(Participant person, string column)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT {column} FROM users WHERE id = @id", new { id = person.Id });
    }

    private async Task<long> MessageIdAsync(long conversationId, string body)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM messages WHERE conversation_id = @conversationId AND body = @body", new { conversationId, body });
    }
}

public sealed class MissedMessageMailTestsOnSqlite(SqliteMailApp app) : MissedMessageMailTests<SqliteMailApp>(app);

public sealed class MissedMessageMailTestsOnMariaDb(MariaDbMailApp app) : MissedMessageMailTests<MariaDbMailApp>(app);
