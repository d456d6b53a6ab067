using System.Collections.Concurrent;
using System.Net;
using ChatMvc.Caching;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace ChatMvc.Tests.Reliability;

// Real MariaDB and Redis, reached through a proxy the test cuts and restores.
public sealed class FaultTests : IDisposable
{
    private readonly TcpProxy redisProxy;
    private readonly TcpProxy databaseProxy;
    private readonly FaultyApp app;

    public FaultTests()
    {
        var redis = TestServers.Redis.Split(':');
        redisProxy = new TcpProxy(redis[0], int.Parse(redis[1]));
        var mysql = new MySqlConnectionStringBuilder(TestServers.MySql);
        databaseProxy = new TcpProxy(mysql.Server, (int)mysql.Port);
        redisProxy.Start();
        databaseProxy.Start();
        app = new FaultyApp($"127.0.0.1:{redisProxy.Port}", databaseProxy.Port);
    }

    private async Task<long> CountAsync(long conversationId, string body)
    {
        await using var connection = await app.Database.CreateDb().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = @conversationId AND body = @body", new { conversationId, body });
    }

    [Fact]
    public async Task With_redis_gone_sending_and_polling_work_from_the_database_and_the_cache_recovers_without_losing_or_doubling()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Before");
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);

        redisProxy.Stop();
        var sent = await ann.SendAsync(id, "During the outage");
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var poll = await bo.PollAsync(id, after, v);
        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Equal(["During the outage"], ChatSteps.MessageTexts(poll.Fragment));
        Assert.Equal(HttpStatusCode.OK, (await bo.OpenAsync(id)).Status);

        redisProxy.Start();
        await ann.SendAsync(id, "After");
        var next = await bo.PollAsync(id, poll.After, poll.V);
        for (var attempt = 0; attempt < 30 && next.Status == HttpStatusCode.NoContent; attempt++)
        {
            await Task.Delay(200);
            next = await bo.PollAsync(id, poll.After, poll.V);
        }

        Assert.Equal(["After"], ChatSteps.MessageTexts(next.Fragment));
        var window = await bo.OpenAsync(id);
        Assert.Equal(["Before", "During the outage", "After"], ChatSteps.MessageTexts(window.Document));
        Assert.Equal(1, await CountAsync(id, "During the outage"));
    }

    // The repair rounds run once a second; a send or a read in the moment between the cache returning and the
    // next round must not trust (or append to) the list the cache kept from before the outage.
    [Fact]
    public async Task A_conversation_written_during_a_redis_outage_is_read_whole_before_any_repair_round_runs()
    {
        using var withoutRounds = new FaultyApp($"127.0.0.1:{redisProxy.Port}", databaseProxy.Port, repairRounds: false);
        using var ann = await withoutRounds.NewPersonAsync("Ann");
        using var bo = await withoutRounds.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Before");
        Assert.Equal(["Before"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));

        redisProxy.Stop();
        Assert.Equal(HttpStatusCode.OK, (await ann.SendAsync(id, "During the outage")).Status);
        redisProxy.Start();
        await CacheReachableAgainAsync(withoutRounds);

        // Read by the sender, who has nothing unread: a window with unread messages would start at the first of them.
        Assert.Equal(["Before", "During the outage"], ChatSteps.MessageTexts((await ann.OpenAsync(id)).Document));
        await ann.SendAsync(id, "After");
        Assert.Equal(["Before", "During the outage", "After"], ChatSteps.MessageTexts((await ann.OpenAsync(id)).Document));
    }

    private static async Task CacheReachableAgainAsync(FaultyApp app)
    {
        var cache = app.Services.GetRequiredService<ICacheStore>();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await cache.PingAsync();
                return;
            }
            catch (StackExchange.Redis.RedisException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task With_the_database_gone_pages_answer_503_with_a_clear_message_and_recover_when_it_returns()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.OpenAsync(id);

        databaseProxy.Stop();
        MySqlConnection.ClearAllPools();
        // The conversation list comes from cached rows once warm; finding people always reads the database.
        var people = await ann.Client.GetAsync(ChatUrls.NewConversation + "?q=Bo");
        var send = await ann.Client.SubmitAsync(window, new() { ["Body"] = "Lost in transit?" }, "form#composer");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, people.Status);
        Assert.Contains("database is not answering", people.MainText);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, send.Status);

        databaseProxy.Start();
        MySqlConnection.ClearAllPools();
        Assert.Equal(HttpStatusCode.OK, (await ann.Client.GetAsync("/")).Status);
        Assert.Equal(0, await CountAsync(id, "Lost in transit?"));
        await ann.SendAsync(id, "Back again");
        Assert.Equal(["Back again"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
    }

    public void Dispose()
    {
        app.Dispose();
        redisProxy.Dispose();
        databaseProxy.Dispose();
    }

    private sealed class FaultyApp(string redis, int databasePort, bool repairRounds = true) : ChatAppFactory(Engine.MariaDb)
    {
        protected override string? RedisConfiguration => redis;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (!repairRounds)
            {
                builder.ConfigureTestServices(services =>
                {
                    foreach (var rounds in services.Where(s => s.ImplementationType == typeof(CacheRepairService)).ToList())
                    {
                        services.Remove(rounds);
                    }
                });
            }
        }

        protected override string ConnectionString =>
            new MySqlConnectionStringBuilder(Database.ConnectionString) { Port = (uint)databasePort }.ConnectionString;
    }
}

// Every send the app acknowledged is in the database, even when the process is killed mid-burst.
public sealed class KilledDuringABurstTests : IDisposable
{
    private readonly TestDatabase database = new(Engine.MariaDb);
    private AppProcess? app;

    [Fact]
    public async Task Every_acknowledged_message_survives_the_app_being_killed_during_a_burst_of_sends()
    {
        app = new AppProcess(new Dictionary<string, string>
        {
            ["Database:Provider"] = "MySql",
            ["ConnectionStrings:Chat"] = database.ConnectionString,
            ["Email:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "chatmvc-killed-mail"),
        });
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var ann = new WebSession(app.CreateClient());
        await ann.RegisterAsync(AccountSteps.NewUser("Ann Burst"));
        using var bo = new WebSession(app.CreateClient());
        var boUser = AccountSteps.NewUser("Bo Burst");
        await bo.RegisterAsync(boUser);
        long boId;
        await using (var connection = await database.CreateDb().OpenAsync())
        {
            boId = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM users WHERE normalized_email = @email", new { email = boUser.Email.ToUpperInvariant() });
        }

        var window = await ann.SubmitAsync(await ann.GetAsync($"/conversations/new?selected={boId}"), [], "form.new-conversation");
        var id = ChatSteps.ConversationIdOf(window);
        var token = window.Document.QuerySelector("#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var acknowledged = new ConcurrentBag<string>();

        var senders = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var body = $"burst {worker}-{i}";
                try
                {
                    var response = await ann.Http.PostAsync($"/conversations/{id}/messages", new FormUrlEncodedContent(
                        new Dictionary<string, string> { ["Body"] = body, ["__RequestVerificationToken"] = token }));
                    if (response.StatusCode == HttpStatusCode.Redirect)
                    {
                        acknowledged.Add(body);
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
            }
        })).ToList();
        while (acknowledged.Count < 50)
        {
            await Task.Delay(10);
        }

        app.Kill();
        await Task.WhenAll(senders);

        await using var check = await database.CreateDb().OpenAsync();
        var stored = (await check.QueryAsync<string>(
            "SELECT body FROM messages WHERE conversation_id = @id", new { id })).ToHashSet();
        Assert.True(acknowledged.Count >= 50);
        Assert.All(acknowledged, body => Assert.Contains(body, stored));
    }

    public void Dispose()
    {
        app?.Dispose();
        database.Dispose();
    }
}
