using System.Diagnostics;
using System.Net;
using ChatMvc.Caching;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ChatMvc.Tests.Chat;

// Two app instances on one MariaDB and one Redis (of this test's own, so it can count its commands and restart it),
// each answering idle polls from its local copies of the hot keys (LocalCopies).
public sealed class IdlePollAcrossInstancesTests : IDisposable
{
    // The chat window's poll interval (Show.cshtml: every 2500ms).
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2500);

    private readonly RedisProcess redis = new();
    private readonly Instance first;
    private readonly Instance second;
    private ConnectionMultiplexer? admin;

    public IdlePollAcrossInstancesTests()
    {
        redis.Start();
        first = new Instance(redis.Configuration, database: null);
        second = new Instance(redis.Configuration, first);
    }

    [Fact]
    public async Task A_message_sent_on_one_instance_reaches_a_poller_on_the_other_within_one_poll_interval_and_idle_polls_ask_redis_nothing()
    {
        using var ann = await first.NewPersonAsync("Ann First");
        using var bo = await second.NewPersonAsync("Bo Second");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Before");
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);

        var reads = await RedisReadsAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);
        }

        Assert.Equal(reads, await RedisReadsAsync());

        await ann.SendAsync(id, "From the first instance");
        var (poll, waited) = await PollUntilChangedAsync(bo, id, after, v);

        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Equal(["From the first instance"], ChatSteps.MessageTexts(poll.Fragment));
        Assert.True(waited < PollInterval, $"The message reached the other instance after {waited.TotalMilliseconds} ms.");
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, poll.After, poll.V)).Status);
    }

    [Fact]
    public async Task A_member_removed_on_one_instance_gets_404_at_once_from_the_other()
    {
        using var ann = await first.NewPersonAsync("Ann Owner");
        using var bo = await second.NewPersonAsync("Bo Removed");
        using var cy = await second.NewPersonAsync("Cy Stays");
        var id = await ann.StartConversationAsync("Shortlived", bo, cy);
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);

        await ann.SubmitOnAsync(ChatUrls.Members(id), $"#member-{bo.Id} form");

        Assert.Equal(HttpStatusCode.NotFound, (await bo.PollAsync(id, after, v)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync(ChatUrls.Conversation(id))).Status);
        Assert.Equal(HttpStatusCode.OK, (await cy.PollAsync(id, after, v)).Status);
    }

    [Fact]
    public async Task A_title_changed_on_one_instance_shows_at_once_in_a_warm_window_on_the_other()
    {
        using var ann = await first.NewPersonAsync("Ann Titles");
        using var bo = await second.NewPersonAsync("Bo Titles");
        var id = await ann.StartConversationAsync("Before", bo);
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        await bo.OpenAsync(id);
        Assert.Equal("Before", TitleOf(await bo.OpenAsync(id)));

        await ann.SubmitOnAsync(ChatUrls.Members(id), $"form[action='{ChatUrls.Title(id)}']", new() { ["title"] = "After" });

        Assert.Equal("After", TitleOf(await bo.OpenAsync(id)));
    }

    [Fact]
    public async Task A_message_rendered_on_one_instance_is_not_rendered_again_on_the_other()
    {
        using var ann = await first.NewPersonAsync("Ann Renders");
        using var bo = await second.NewPersonAsync("Bo Reuses");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Rendered once");
        await ann.OpenAsync(id);
        var fragments = second.Services.GetRequiredService<MessageFragments>();
        var rendered = fragments.Renders;

        var window = await bo.OpenAsync(id);

        Assert.Equal(["Rendered once"], ChatSteps.MessageTexts(window.Document));
        Assert.Equal(rendered, fragments.Renders);
    }

    [Fact]
    public async Task A_list_change_on_one_instance_gives_a_list_poll_on_the_other_only_the_changed_row()
    {
        using var ann = await first.NewPersonAsync("Ann Lists");
        using var bo = await second.NewPersonAsync("Bo Lists");
        var quiet = await ann.StartConversationAsync("Quiet", bo);
        var busy = await ann.StartConversationAsync("Busy", bo);
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        var version = ConversationListDeltaTests<MariaDbApp>.ListVersionOf((await bo.Client.GetAsync("/")).Document);
        Assert.Equal(HttpStatusCode.NoContent, (await ConversationListDeltaTests<MariaDbApp>.ListPollAsync(bo, version)).Status);

        await ann.SendAsync(quiet, "From the first instance for @Bo Lists");
        var clock = Stopwatch.StartNew();
        var poll = await ConversationListDeltaTests<MariaDbApp>.ListPollAsync(bo, version);
        while (poll.Status == HttpStatusCode.NoContent && clock.Elapsed < PollInterval * 4)
        {
            await Task.Delay(50);
            poll = await ConversationListDeltaTests<MariaDbApp>.ListPollAsync(bo, version);
        }

        Assert.True(clock.Elapsed < PollInterval, $"The change reached the other instance after {clock.Elapsed.TotalMilliseconds} ms.");
        var row = Assert.Single(poll.Fragment.QuerySelectorAll("li.conversation-row"));
        Assert.Equal($"conversation-{quiet}", row.Id);
        Assert.Equal("afterbegin:#conversation-rows", row.ParentElement!.GetAttribute("data-hx-swap-oob"));
        Assert.Equal("1", poll.State!.GetAttribute("data-unread-total"));

        // The list page on the second instance, from the rows cached in Redis, agrees.
        var page = (await bo.Client.GetAsync("/")).Document;
        Assert.Equal([$"conversation-{quiet}", $"conversation-{busy}"], page.QuerySelectorAll("#conversation-rows > li").Select(li => li.Id));
        Assert.Equal(HttpStatusCode.NoContent, (await ConversationListDeltaTests<MariaDbApp>.ListPollAsync(bo, poll.Version)).Status);
    }

    [Fact]
    public async Task A_warm_list_page_asks_redis_nothing_and_shows_a_change_made_on_the_other_instance_at_once_as_a_window_shows_a_new_name()
    {
        using var ann = await first.NewPersonAsync("Ann Pages");
        using var bo = await second.NewPersonAsync("Bo Pages");
        var quiet = await ann.StartConversationAsync("Quiet page", bo);
        var busy = await ann.StartConversationAsync("Busy page", bo);
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        await WarmAsync(() => bo.Client.GetAsync("/"));

        var reads = await RedisReadsAsync();
        var warm = (await bo.Client.GetAsync("/")).Document;
        await bo.Client.GetAsync("/");
        Assert.Equal(reads, await RedisReadsAsync());
        Assert.Equal([$"conversation-{busy}", $"conversation-{quiet}"], warm.QuerySelectorAll("#conversation-rows > li").Select(li => li.Id));

        await ann.SendAsync(quiet, "Up you go");
        var page = (await bo.Client.GetAsync("/")).Document;

        Assert.Equal([$"conversation-{quiet}", $"conversation-{busy}"], page.QuerySelectorAll("#conversation-rows > li").Select(li => li.Id));
        Assert.Contains("Up you go", page.GetElementById($"conversation-{quiet}")!.TextContent);

        // The shell's own name, kept in process too, is dropped when it changes.
        Assert.Contains("Bo Pages (your profile)", (await bo.OpenAsync(quiet)).Document.QuerySelector(".sidebar")!.TextContent);
        await bo.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Bo Renamed" });
        Assert.Contains("Bo Renamed (your profile)", (await bo.OpenAsync(quiet)).Document.QuerySelector(".sidebar")!.TextContent);
    }

    [Fact]
    public async Task A_warm_window_asks_redis_nothing_and_an_edit_made_on_the_other_instance_shows_at_once()
    {
        using var ann = await first.NewPersonAsync("Ann Windows");
        using var bo = await second.NewPersonAsync("Bo Windows");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = ChatSteps.MessageIds((await ann.SendAsync(id, "As first written")).Document)[^1];
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        await WarmAsync(() => bo.OpenAsync(id));

        var reads = await RedisReadsAsync();
        Assert.Equal(["As first written"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
        await bo.OpenAsync(id);
        Assert.Equal(reads, await RedisReadsAsync());

        await ann.SubmitOnAsync(ChatUrls.EditMessage(id, messageId), "main form", new() { ["body"] = "As edited" });
        Assert.Equal(["As edited"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
        await ann.SendAsync(id, "And one more");
        // Opened at the unread message first, then (read) at the newest page.
        Assert.Equal(["And one more"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
        Assert.Equal(["As edited", "And one more"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
    }

    [Fact]
    public async Task When_redis_restarts_no_instance_serves_a_copy_from_before_and_messages_keep_arriving()
    {
        using var ann = await first.NewPersonAsync("Ann Restart");
        using var bo = await second.NewPersonAsync("Bo Restart");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Before the restart");
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);

        redis.Stop();
        await ann.SendAsync(id, "While Redis is down");
        var (during, waited) = await PollUntilChangedAsync(bo, id, after, v);
        Assert.Equal(["While Redis is down"], ChatSteps.MessageTexts(during.Fragment));
        Assert.True(waited < PollInterval, $"The message sent while Redis was down reached the other instance after {waited.TotalMilliseconds} ms.");

        redis.Start();
        await Task.WhenAll(ListeningAsync(first), ListeningAsync(second));
        // The old cursor again: a copy kept from before the restart would answer 204.
        var again = await bo.PollAsync(id, after, v);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(["While Redis is down"], ChatSteps.MessageTexts(again.Fragment));

        await ann.SendAsync(id, "After the restart");
        var (next, waitedAfter) = await PollUntilChangedAsync(bo, id, again.After, again.V);
        Assert.Equal(["After the restart"], ChatSteps.MessageTexts(next.Fragment));
        Assert.True(waitedAfter < PollInterval, $"The message sent after the restart reached the other instance after {waitedAfter.TotalMilliseconds} ms.");
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, next.After, next.V)).Status);
        Assert.True(LocalCopiesOf(second).Count > 0, "The second instance keeps copies again once its subscription answers.");
    }

    private static async Task<(PollResult Poll, TimeSpan Waited)> PollUntilChangedAsync(Participant person, long id, long after, long v)
    {
        var clock = Stopwatch.StartNew();
        var poll = await person.PollAsync(id, after, v);
        while (poll.Status == HttpStatusCode.NoContent && clock.Elapsed < PollInterval * 4)
        {
            await Task.Delay(50);
            poll = await person.PollAsync(id, after, v);
        }

        return (poll, clock.Elapsed);
    }

    private static string TitleOf(Page window) => window.Document.QuerySelector(".chat-header h1")!.TextContent.Trim();

    private static LocalCopies LocalCopiesOf(Instance app) => ((RedisCacheStore)app.Services.GetRequiredService<ICacheStore>()).LocalCopies;

    // Until the instance's probe has come back through its subscription (up to 15 s; a restarted Redis is
    // reconnected to within a few seconds).
    private static async Task ListeningAsync(Instance app)
    {
        var copies = LocalCopiesOf(app);
        var clock = Stopwatch.StartNew();
        while (!copies.IsListening)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "The instance never heard its own probe through Redis.");
            await Task.Delay(50);
        }
    }

    // Until a page is answered without asking Redis anything (up to 20 times): this instance's own writes (the first
    // visit marks messages read) come back through the subscription a moment later and drop the copies read meanwhile.
    private async Task WarmAsync(Func<Task<Page>> visit)
    {
        for (var i = 0; i < 20; i++)
        {
            var reads = await RedisReadsAsync();
            await visit();
            if (await RedisReadsAsync() == reads)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("Every visit asked Redis for something.");
    }

    // Every read command Redis has run (the stores read with GET, MGET and MULTI/EXEC around LRANGE).
    // One connection for every count, with no tie-breaker key: a new connection would GET it and count itself.
    private async Task<long> RedisReadsAsync()
    {
        admin ??= await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},allowAdmin=true,tiebreaker=");
        var stats = (await admin.GetServer(redis.Configuration).InfoAsync("commandstats")).SelectMany(group => group);
        return stats
            .Where(stat => stat.Key is "cmdstat_get" or "cmdstat_mget" or "cmdstat_lrange" or "cmdstat_exec")
            .Sum(stat => long.Parse(stat.Value.Split(',')[0]["calls=".Length..]));
    }

    public void Dispose()
    {
        admin?.Dispose();
        second.Dispose();
        first.Dispose();
        redis.Dispose();
    }

    // Shares the first instance's database and cache prefix; its own database, made by the base class, stays empty.
    private sealed class Instance(string redisConfiguration, Instance? database) : ChatAppFactory(Engine.MariaDb)
    {
        private readonly Instance? shared = database;

        protected override string? RedisConfiguration => redisConfiguration;

        protected override string ConnectionString => shared?.ConnectionString ?? base.ConnectionString;

        private string Prefix => shared?.Prefix ?? RedisInstanceName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(
                new Dictionary<string, string?> { ["Redis:InstanceName"] = Prefix }));
        }
    }
}
