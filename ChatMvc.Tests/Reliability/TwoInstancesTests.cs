using System.Net;
using ChatMvc.Tests.Infrastructure;
using Dapper;

namespace ChatMvc.Tests.Reliability;

// Two app processes on one MariaDB and one Redis behave as one app.
public sealed class TwoInstancesTests : IDisposable
{
    private readonly TestDatabase database = new(Engine.MariaDb);
    private readonly List<AppProcess> apps = [];

    private AppProcess Start(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var app = new AppProcess(new Dictionary<string, string>(extra?.Select(s => KeyValuePair.Create(s.Key, s.Value ?? "")) ?? [])
        {
            ["Database:Provider"] = "MySql",
            ["ConnectionStrings:Chat"] = database.ConnectionString,
            ["Redis:Configuration"] = TestServers.Redis,
            ["Redis:InstanceName"] = $"two:{database.ConnectionString.GetHashCode():x}:",
            ["Email:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "chatmvc-two-instances-mail"),
        });
        apps.Add(app);
        return app;
    }

    [Fact]
    public async Task Two_instances_started_together_migrate_once_share_sign_ins_and_see_each_others_messages()
    {
        var first = Start();
        var second = Start();
        await Task.WhenAll(first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)), second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));

        await using (var connection = await database.CreateDb().OpenAsync())
        {
            var history = (await connection.QueryAsync<string>("SELECT name FROM schema_history")).ToList();
            Assert.Equal(history.Distinct().Count(), history.Count);
            Assert.Contains("0001_initial_schema.sql", history);
        }

        var cookies = new CookieContainer();
        using var annOnFirst = new WebSession(first.CreateClient(cookies));
        var ann = AccountSteps.NewUser("Ann Two");
        Assert.True((await annOnFirst.RegisterAsync(ann)).IsSignedIn());
        using var annOnSecond = new WebSession(second.CreateClient(cookies));
        Assert.True((await annOnSecond.GetAsync("/")).IsSignedIn(), "The sign-in cookie from the first instance works on the second.");

        using var boOnSecond = new WebSession(second.CreateClient());
        var bo = AccountSteps.NewUser("Bo Two");
        await boOnSecond.RegisterAsync(bo);
        long boId;
        await using (var connection = await database.CreateDb().OpenAsync())
        {
            boId = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM users WHERE normalized_email = @email", new { email = bo.Email.ToUpperInvariant() });
        }

        var picker = await annOnFirst.GetAsync($"/conversations/new?selected={boId}");
        var window = await annOnFirst.SubmitAsync(picker, [], "form.new-conversation");
        var id = ChatSteps.ConversationIdOf(window);
        var boWindow = await boOnSecond.GetAsync($"/conversations/{id}");
        var (after, v) = ChatSteps.CursorOf(boWindow.Document);

        await annOnFirst.SubmitAsync(await annOnFirst.GetAsync($"/conversations/{id}"), new() { ["Body"] = "From the first instance" }, "form#composer");

        using var poll = new HttpRequestMessage(HttpMethod.Get, $"/conversations/{id}/poll?after={after}&v={v}");
        poll.Headers.Add("HX-Request", "true");
        var response = await boOnSecond.Http.SendAsync(poll);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal(["From the first instance"], ChatSteps.MessageTexts(fragment));
    }

    [Fact]
    public async Task Conversations_created_on_either_instance_after_an_outsider_probed_their_ids_open_at_once_on_both()
    {
        var first = Start();
        var second = Start();
        await Task.WhenAll(first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)), second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));
        using var eve = await RegisterOnBothAsync(first, second, "Eve Prober");
        using var ann = await RegisterOnBothAsync(first, second, "Ann Future");
        using var bo = await RegisterOnBothAsync(first, second, "Bo Future");

        var eves = await StartConversationAsync(eve.OnFirst, ann.Id);
        var probed = Enumerable.Range(1, 4).Select(n => eves + n).ToHashSet();
        foreach (var id in probed)
        {
            foreach (var session in eve.Sessions)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await session.Http.GetAsync($"/api/v1/conversations/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync($"/conversations/{id}")).Status);
            }
        }

        var madeOnFirst = await StartConversationAsync(ann.OnFirst, bo.Id);
        var madeOnSecond = await StartConversationAsync(bo.OnSecond, ann.Id, "Made on the second");

        Assert.Subset(probed, new HashSet<long> { madeOnFirst, madeOnSecond });
        foreach (var id in new[] { madeOnFirst, madeOnSecond })
        {
            foreach (var session in ann.Sessions.Concat(bo.Sessions))
            {
                Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/conversations/{id}")).Status);
                Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync($"/api/v1/conversations/{id}")).StatusCode);
            }

            await ann.OnFirst.SubmitAsync(await ann.OnFirst.GetAsync($"/conversations/{id}"), new() { ["Body"] = $"Ann on the first in {id}" }, "form#composer");
            await bo.OnSecond.SubmitAsync(await bo.OnSecond.GetAsync($"/conversations/{id}"), new() { ["Body"] = $"Bo on the second in {id}" }, "form#composer");
            Assert.Equal(
                [$"Ann on the first in {id}", $"Bo on the second in {id}"],
                ChatSteps.MessageTexts((await bo.OnFirst.GetAsync($"/conversations/{id}")).Document));
            // Ann's window starts at Bo's reply while it is unread; once read, it shows the newest page.
            Assert.Equal(
                [$"Bo on the second in {id}"],
                ChatSteps.MessageTexts((await ann.OnSecond.GetAsync($"/conversations/{id}")).Document));
            Assert.Equal(
                [$"Ann on the first in {id}", $"Bo on the second in {id}"],
                ChatSteps.MessageTexts((await ann.OnSecond.GetAsync($"/conversations/{id}")).Document));
        }
    }

    [Fact]
    public async Task Two_instances_looking_for_missed_messages_every_second_send_exactly_one_mail()
    {
        await using var smtp = new SmtpTestServer();
        var settings = smtp.AppSettings();
        settings["Notifications:EmailIntervalSeconds"] = "1";
        settings["Notifications:EmailDelayMinutes"] = "0";
        var first = Start(settings);
        var second = Start(settings);
        await Task.WhenAll(first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)), second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));
        using var ann = await RegisterOnBothAsync(first, second, "Ann Mailer");
        var bo = AccountSteps.NewUser("Bo Away");
        using (var boOnSecond = new WebSession(second.CreateClient()))
        {
            await boOnSecond.RegisterAsync(bo);
        }

        await using (var connection = await database.CreateDb().OpenAsync())
        {
            var boId = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM users WHERE normalized_email = @email", new { email = bo.Email.ToUpperInvariant() });
            var id = await StartConversationAsync(ann.OnFirst, boId);
            await ann.OnFirst.SubmitAsync(await ann.OnFirst.GetAsync($"/conversations/{id}"), new() { ["Body"] = "While you were out" }, "form#composer");
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (smtp.To(bo.Email).Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }

        // Several more rounds on each instance: none may send it again.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var mail = Assert.Single(smtp.To(bo.Email));
        Assert.Contains("While you were out", mail.HtmlBody);
    }

    private async Task<PersonOnBoth> RegisterOnBothAsync(AppProcess first, AppProcess second, string displayName)
    {
        var cookies = new CookieContainer();
        var onFirst = new WebSession(first.CreateClient(cookies));
        var user = AccountSteps.NewUser(displayName);
        Assert.True((await onFirst.RegisterAsync(user)).IsSignedIn());
        await using var connection = await database.CreateDb().OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM users WHERE normalized_email = @email", new { email = user.Email.ToUpperInvariant() });
        return new PersonOnBoth(onFirst, new WebSession(second.CreateClient(cookies)), id);
    }

    private static async Task<long> StartConversationAsync(WebSession session, long otherId, string? title = null)
    {
        var picker = await session.GetAsync($"/conversations/new?selected={otherId}");
        var window = await session.SubmitAsync(picker, title is null ? [] : new() { ["title"] = title }, "form.new-conversation");
        Assert.Equal(HttpStatusCode.OK, window.Status);
        return ChatSteps.ConversationIdOf(window);
    }

    private sealed record PersonOnBoth(WebSession OnFirst, WebSession OnSecond, long Id) : IDisposable
    {
        public WebSession[] Sessions => [OnFirst, OnSecond];

        public void Dispose()
        {
            OnFirst.Dispose();
            OnSecond.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var app in apps)
        {
            app.Dispose();
        }

        database.Dispose();
    }
}
