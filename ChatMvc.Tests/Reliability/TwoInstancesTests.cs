using System.Net;
using ChatMvc.Tests.Infrastructure;
using Dapper;

namespace ChatMvc.Tests.Reliability;

// Two app processes on one MariaDB and one Redis behave as one app.
public sealed class TwoInstancesTests : IDisposable
{
    private readonly TestDatabase database = new(Engine.MariaDb);
    private readonly List<AppProcess> apps = [];

    private AppProcess Start()
    {
        var app = new AppProcess(new Dictionary<string, string>
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

    public void Dispose()
    {
        foreach (var app in apps)
        {
            app.Dispose();
        }

        database.Dispose();
    }
}
