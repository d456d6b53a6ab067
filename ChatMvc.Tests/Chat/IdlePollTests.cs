using System.Diagnostics;
using System.Net;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// The idle polls are answered before MVC (IdlePolls); whatever changed still comes from the MVC actions.
public abstract class IdlePollTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task An_idle_window_poll_is_answered_204_without_running_an_mvc_action_or_any_sql()
    {
        using var ann = await app.NewPersonAsync("Ann Idle");
        using var bo = await app.NewPersonAsync("Bo Idle");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Already here");
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);
        var db = app.Services.GetRequiredService<ChatDb>();
        var opens = db.OpenCount;

        using var actions = new MvcActions(app.Services);
        var polls = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            polls.Add((await bo.PollAsync(id, after, v)).Status);
        }

        Assert.All(polls, status => Assert.Equal(HttpStatusCode.NoContent, status));
        Assert.Empty(actions.Seen);
        Assert.Equal(opens, db.OpenCount);

        await ann.SendAsync(id, "Something new");
        actions.Seen.Clear();
        var changed = await bo.PollAsync(id, after, v);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(["Something new"], ChatSteps.MessageTexts(changed.Fragment));
        Assert.Contains("ConversationController.Poll", actions.Seen);
    }

    [Fact]
    public async Task An_idle_list_poll_is_answered_204_before_mvc_and_a_changed_one_renders_the_list()
    {
        using var ann = await app.NewPersonAsync("Ann Lists");
        using var bo = await app.NewPersonAsync("Bo Lists");
        var id = await ann.StartConversationAsync(null, bo);
        var version = ListVersionOf((await bo.Client.GetAsync("/")).Document);

        using var actions = new MvcActions(app.Services);
        Assert.Equal(HttpStatusCode.NoContent, (await ListPollAsync(bo, version)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ListPollAsync(bo, version)).StatusCode);
        Assert.Empty(actions.Seen);

        await ann.SendAsync(id, "Listed");
        var changed = await ListPollAsync(bo, version);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var list = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await changed.Content.ReadAsStringAsync());
        Assert.Contains("Listed", list.QuerySelector($"#conversation-{id} .conversation-preview")!.TextContent);
        Assert.Contains("ConversationsController.Poll", actions.Seen);
    }

    [Fact]
    public async Task Polls_that_are_not_plainly_idle_get_the_same_answers_as_before()
    {
        using var ann = await app.NewPersonAsync("Ann Odd");
        using var bo = await app.NewPersonAsync("Bo Odd");
        using var eve = await app.NewPersonAsync("Eve Odd");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Hello");
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);

        Assert.Equal(HttpStatusCode.NotFound, (await eve.PollAsync(id, after, v)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.PollAsync(id + 1000, 0, 0)).Status);
        // A cursor that is not a number binds as 0 in the action: everything is new.
        var odd = await bo.Client.Http.GetAsync($"{ChatUrls.Poll(id)}?after=soon&v={v}");
        Assert.Equal(HttpStatusCode.OK, odd.StatusCode);

        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signedOut = await anonymous.GetAsync($"{ChatUrls.Poll(id)}?after={after}&v={v}");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("/Identity/Account/Login", signedOut.Headers.Location!.ToString());
    }

    private static async Task<HttpResponseMessage> ListPollAsync(Participant person, string version)
    {
        using var poll = new HttpRequestMessage(HttpMethod.Get, $"/conversations/poll?v={version}");
        poll.Headers.Add("HX-Request", "true");
        return await person.Client.Http.SendAsync(poll);
    }

    private static string ListVersionOf(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelector("#conversation-list")!.GetAttribute("data-hx-get")!.Split("v=")[1].Split('&')[0];

    // The MVC actions the app runs, from the events MVC writes before each one.
    private sealed class MvcActions : IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable subscription;

        public MvcActions(IServiceProvider services) =>
            subscription = services.GetRequiredService<DiagnosticListener>()
                .Subscribe(this, name => name == "Microsoft.AspNetCore.Mvc.BeforeAction");

        public List<string> Seen { get; } = [];

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "Microsoft.AspNetCore.Mvc.BeforeAction"
                && value.Value?.GetType().GetProperty("ActionDescriptor")?.GetValue(value.Value)
                    is Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor action)
            {
                lock (Seen)
                {
                    Seen.Add($"{action.ControllerTypeInfo.Name}.{action.ActionName}");
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose() => subscription.Dispose();
    }
}

public sealed class IdlePollTestsOnSqlite(SqliteApp app) : IdlePollTests<SqliteApp>(app);

public sealed class IdlePollTestsOnMariaDb(MariaDbApp app) : IdlePollTests<MariaDbApp>(app);
