using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace ChatMvc.Caching;

public sealed class RedisOptions
{
    public const string Section = "Redis";

    // A StackExchange.Redis configuration string, e.g. "redis:6379". Unset: the in-process cache is used.
    public string? Configuration { get; set; }

    // Prefixed to every key, so several deployments (or test runs) can share one Redis.
    public string InstanceName { get; set; } = "chat:";
}

// One multiplexer for the whole process, as StackExchange.Redis intends.
public sealed class RedisCacheStore : ICacheStore, IDisposable
{
    private readonly ConnectionMultiplexer multiplexer;
    private readonly RedisKey prefix;

    public RedisCacheStore(RedisOptions redisOptions)
    {
        prefix = redisOptions.InstanceName;
        var options = ConfigurationOptions.Parse(redisOptions.Configuration);
        // Start and keep retrying while Redis is down; /healthz reports it instead of the app failing to start.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        multiplexer = ConnectionMultiplexer.Connect(options);
    }

    private IDatabase Db => multiplexer.GetDatabase().WithKeyPrefix(prefix);

    public async Task<string?> GetAsync(string key) => await Db.StringGetAsync(key);

    public async Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys)
    {
        var values = await Db.StringGetAsync(keys.Select(k => (RedisKey)k).ToArray());
        return values.Select(v => (string?)v).ToList();
    }

    public Task SetAsync(string key, string value, TimeSpan? expiry = null) => Db.StringSetAsync(key, value, expiry);

    public Task<long> IncrementAsync(string key) => Db.StringIncrementAsync(key);

    public Task DeleteAsync(params string[] keys) => Db.KeyDeleteAsync(keys.Select(k => (RedisKey)k).ToArray());

    public async Task ListAppendAsync(string key, string value, int keepLast)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.ListRightPushAsync(key, value);
        _ = transaction.ListTrimAsync(key, -keepLast, -1);
        await transaction.ExecuteAsync();
    }

    public async Task ListReplaceAsync(string key, IReadOnlyList<string> values)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.KeyDeleteAsync(key);
        if (values.Count > 0)
        {
            _ = transaction.ListRightPushAsync(key, values.Select(v => (RedisValue)v).ToArray());
        }

        await transaction.ExecuteAsync();
    }

    public async Task<IReadOnlyList<string>> ListAllAsync(string key)
    {
        var values = await Db.ListRangeAsync(key);
        return values.Select(v => (string)v!).ToList();
    }

    public Task PingAsync() => Db.PingAsync();

    public void Dispose() => multiplexer.Dispose();
}
