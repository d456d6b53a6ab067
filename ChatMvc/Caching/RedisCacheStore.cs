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

// One multiplexer for the whole process, as StackExchange.Redis intends. The compound operations are
// Lua scripts so each runs atomically on the server.
public sealed class RedisCacheStore : ICacheStore, IDisposable
{
    private const string StoreIfGenerationScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current ~= tonumber(ARGV[1]) then return 0 end
        local count = tonumber(ARGV[2])
        for i = 1, count do
            redis.call('SET', KEYS[1 + i], ARGV[2 + i])
        end
        if ARGV[3 + count] == '1' then
            local listKey = KEYS[2 + count]
            redis.call('DEL', listKey)
            for i = 4 + count, #ARGV do
                redis.call('RPUSH', listKey, ARGV[i])
            end
        end
        return 1
        """;

    private const string AppendIfNewerScript = """
        redis.call('INCR', KEYS[1])
        local head = redis.call('GET', KEYS[2])
        local last, counter
        if head then last, counter = string.match(head, '^(%d+):(%d+)$') end
        if last and tonumber(ARGV[1]) > tonumber(last) and (tonumber(last) == 0 or redis.call('EXISTS', KEYS[3]) == 1) then
            redis.call('RPUSH', KEYS[3], ARGV[2])
            redis.call('LTRIM', KEYS[3], -tonumber(ARGV[3]), -1)
            redis.call('SET', KEYS[2], ARGV[1] .. ':' .. counter)
        else
            redis.call('DEL', KEYS[2], KEYS[3])
        end
        return 1
        """;

    private const string InvalidateScript = """
        redis.call('INCR', KEYS[1])
        for i = 2, #KEYS do
            redis.call('DEL', KEYS[i])
        end
        return 1
        """;

    private readonly ConnectionMultiplexer multiplexer;
    private readonly RedisKey prefix;

    public RedisCacheStore(RedisOptions redisOptions, ILogger<RedisCacheStore> logger)
    {
        prefix = redisOptions.InstanceName;
        var options = ConfigurationOptions.Parse(redisOptions.Configuration);
        // Start and keep retrying while Redis is down; /healthz reports it instead of the app failing to start.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        multiplexer = ConnectionMultiplexer.Connect(options);
        // 1.x completes every awaited command on one ordering thread by default, which caps the idle poll (two
        // awaited reads) well below the bare endpoint (bench/run.sh). Nothing here relies on that order.
        multiplexer.PreserveAsyncOrder = false;
        // One line when the connection drops and one when it is back: the requests in between fall back to the
        // database and log only a count (ConversationCache).
        multiplexer.ConnectionFailed += (_, e) => logger.LogWarning(
            e.Exception, "Redis connection to {EndPoint} lost ({Failure}); using the database until it returns", e.EndPoint, e.FailureType);
        multiplexer.ConnectionRestored += (_, e) => logger.LogInformation(
            "Redis connection to {EndPoint} restored; its cached state is rebuilt as it is read", e.EndPoint);
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

    public async Task<IReadOnlyList<string>> ListAllAsync(string key)
    {
        var values = await Db.ListRangeAsync(key);
        return values.Select(v => (string)v!).ToList();
    }

    public async Task<(string? Value, IReadOnlyList<string> List)> GetWithListAsync(string key, string listKey)
    {
        var transaction = Db.CreateTransaction();
        var value = transaction.StringGetAsync(key);
        var list = transaction.ListRangeAsync(listKey);
        await transaction.ExecuteAsync();
        return (await value, (await list).Select(v => (string)v!).ToList());
    }

    public async Task<long> GetGenerationAsync(string generationKey)
    {
        var value = await Db.StringGetAsync(generationKey);
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<bool> StoreIfGenerationAsync(
        string generationKey, long expectedGeneration, IReadOnlyDictionary<string, string> values,
        string? listKey = null, IReadOnlyList<string>? list = null)
    {
        var keys = new List<RedisKey> { generationKey };
        keys.AddRange(values.Keys.Select(k => (RedisKey)k));
        var args = new List<RedisValue> { expectedGeneration, values.Count };
        args.AddRange(values.Values.Select(v => (RedisValue)v));
        if (listKey is not null)
        {
            keys.Add(listKey);
            args.Add("1");
            args.AddRange((list ?? []).Select(v => (RedisValue)v));
        }
        else
        {
            args.Add("0");
        }

        var stored = await Db.ScriptEvaluateAsync(StoreIfGenerationScript, [.. keys], [.. args]);
        return (long)stored == 1;
    }

    public Task AppendIfNewerAsync(string generationKey, string headKey, string listKey, long id, string item, int keep) =>
        Db.ScriptEvaluateAsync(AppendIfNewerScript, [generationKey, headKey, listKey], [id, item, keep]);

    public Task InvalidateAsync(string generationKey, params string[] keys) =>
        Db.ScriptEvaluateAsync(InvalidateScript, [generationKey, .. keys.Select(k => (RedisKey)k)]);

    public Task PingAsync() => Db.PingAsync();

    public void Dispose() => multiplexer.Dispose();
}
