using System.Net;
using ChatMvc.Tests.Infrastructure;
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

        using (var admin = ConnectionMultiplexer.Connect($"{redis.Configuration},allowAdmin=true"))
        {
            admin.GetServer(redis.Configuration).FlushAllDatabases();
        }

        var poll = await bo.PollAsync(id, after, v);
        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Equal(["Before the flush 3"], ChatSteps.MessageTexts(poll.Fragment));
        var window = await bo.OpenAsync(id);
        Assert.Equal(["Before the flush 1", "Before the flush 2", "Before the flush 3"], ChatSteps.MessageTexts(window.Document));

        await ann.SendAsync(id, "After the flush");
        var next = await bo.PollAsync(id, poll.After, poll.V);
        Assert.Equal(["After the flush"], ChatSteps.MessageTexts(next.Fragment));
    }

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
