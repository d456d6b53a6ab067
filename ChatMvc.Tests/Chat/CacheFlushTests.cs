using System.Net;
using ChatMvc.Caching;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using StackExchange.Redis;

namespace ChatMvc.Tests.Chat;

// On a Redis of its own, so flushing it cannot disturb tests running beside it.
public sealed class CacheFlushTests : IDisposable
{
    private readonly RedisProcess redis = new();
    private readonly AppOnOwnRedis app;

    public CacheFlushTests()
    {
        redis.Start();
        app = new AppOnOwnRedis(redis.Configuration);
    }

    [Fact]
    public async Task After_a_redis_flushall_the_window_and_the_poll_still_show_every_message()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Before the flush 1");
        await ann.SendAsync(id, "Before the flush 2");
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        await ann.SendAsync(id, "Before the flush 3");

        FlushRedis();

        var poll = await bo.PollAsync(id, after, v);
        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Equal(["Before the flush 3"], ChatSteps.MessageTexts(poll.Fragment));
        var window = await bo.OpenAsync(id);
        Assert.Equal(["Before the flush 1", "Before the flush 2", "Before the flush 3"], ChatSteps.MessageTexts(window.Document));

        await ann.SendAsync(id, "After the flush");
        var next = await bo.PollAsync(id, poll.After, poll.V);
        Assert.Equal(["After the flush"], ChatSteps.MessageTexts(next.Fragment));
    }

    [Fact]
    public async Task After_a_flush_thirty_windows_polling_one_conversation_at_once_wait_on_one_database_read()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Already read");
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        FlushRedis();
        // A flush alone leaves the app's local copies of the member list and head, still true to the database, and
        // the polls would not read at all. As after a restart, the app stops trusting them until its probe returns.
        ((RedisCacheStore)app.Services.GetRequiredService<ICacheStore>()).LocalCopies.StopListening();
        var db = app.Services.GetRequiredService<ChatDb>();
        var opensBefore = db.OpenCount;

        // The messages table locked by another session: the first poll's rebuild blocks there, so every
        // other poll arrives while it is still running.
        await using var locker = new MySqlConnection(app.Database.ConnectionString);
        await locker.OpenAsync();
        await locker.ExecuteAsync("LOCK TABLES messages WRITE");
        var polls = Enumerable.Range(0, 30).Select(_ => bo.PollAsync(id, after, v)).ToList();
        var waiting = await WaitForBlockedQueriesAsync(locker);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waitingOnceAllArrived = await BlockedQueriesAsync(locker);
        var answeredWhileLocked = polls.Count(p => p.IsCompleted);
        await locker.ExecuteAsync("UNLOCK TABLES");

        var statuses = (await Task.WhenAll(polls)).Select(p => p.Status).ToList();
        Assert.Equal(1, waiting);
        Assert.Equal(1, waitingOnceAllArrived);
        Assert.Equal(0, answeredWhileLocked);
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.NoContent, status));
        // One read of the members and one of the messages, give or take a poll that arrived between a read
        // finishing and its result being cached; thirty separate rebuilds would open sixty connections.
        Assert.InRange(db.OpenCount - opensBefore, 2, 10);
    }

    private void FlushRedis()
    {
        using var admin = ConnectionMultiplexer.Connect($"{redis.Configuration},allowAdmin=true");
        admin.GetServer(redis.Configuration).FlushAllDatabases();
    }

    // Queries of this test's database waiting for the table lock, once at least one does (up to 10 s).
    private static async Task<int> WaitForBlockedQueriesAsync(MySqlConnection locker)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await BlockedQueriesAsync(locker) is > 0 and var count)
            {
                return count;
            }

            await Task.Delay(100);
        }

        return 0;
    }

    private static Task<int> BlockedQueriesAsync(MySqlConnection locker) => locker.ExecuteScalarAsync<int>("""
        SELECT COUNT(*) FROM information_schema.PROCESSLIST
        WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND STATE LIKE 'Waiting for table%'
        """);

    public void Dispose()
    {
        app.Dispose();
        redis.Dispose();
    }

    private sealed class AppOnOwnRedis(string redis) : ChatAppFactory(Engine.MariaDb)
    {
        protected override string? RedisConfiguration => redis;
    }
}
