using System.Net;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Health;

public abstract class HealthTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Healthz_answers_200_when_the_database_and_the_cache_answer()
    {
        var response = await app.CreateClient().GetAsync("/healthz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("database: Healthy", text);
        Assert.Contains("cache: Healthy", text);
    }
}

public sealed class HealthTestsOnSqlite(SqliteApp app) : HealthTests<SqliteApp>(app);

public sealed class HealthTestsOnMariaDb(MariaDbApp app) : HealthTests<MariaDbApp>(app);

public sealed class HealthWithRedisGoingDownTests : IDisposable
{
    private readonly RedisProcess redis = new();
    private readonly AppOnOwnRedis app;

    public HealthWithRedisGoingDownTests()
    {
        redis.Start();
        app = new AppOnOwnRedis(redis.Configuration);
    }

    [Fact]
    public async Task Healthz_answers_503_naming_the_cache_while_redis_is_down_and_200_when_it_is_back()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        redis.Stop();
        var down = await client.GetAsync("/healthz");
        var text = await down.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("cache: Unhealthy", text);
        Assert.Contains("database: Healthy", text);

        redis.Start();
        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 50 && status != HttpStatusCode.OK; attempt++)
        {
            // The multiplexer reconnects in the background; give it a few seconds.
            await Task.Delay(200);
            status = (await client.GetAsync("/healthz")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
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
