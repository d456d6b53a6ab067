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
// Lua scripts so each runs atomically on the server. Every write announces the keys it changed on the
// instance's channel in the same script, so no write can land without its announcement; every instance
// forgets its local copies of those keys (LocalCopies), and the hot keys are read from those copies.
public sealed class RedisCacheStore : ICacheStore, IDisposable
{
    public bool SharedAcrossInstances => true;

    // Every script's ARGV[1] is the channel. The announcement is "k" and the changed keys, one a line.
    private const string Announce = "\nredis.call('PUBLISH', ARGV[1], 'k\\n' .. table.concat(KEYS, '\\n'))\n";

    private const string StoreIfGenerationScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current ~= tonumber(ARGV[2]) then return 0 end
        local count = tonumber(ARGV[3])
        for i = 1, count do
            redis.call('SET', KEYS[1 + i], ARGV[3 + i])
        end
        if ARGV[4 + count] == '1' then
            local listKey = KEYS[2 + count]
            redis.call('DEL', listKey)
            for i = 5 + count, #ARGV do
                redis.call('RPUSH', listKey, ARGV[i])
            end
        end
        """ + Announce + """

        return 1
        """;

    private const string AppendIfNewerScript = """
        redis.call('INCR', KEYS[1])
        local head = redis.call('GET', KEYS[2])
        local last, counter
        if head then last, counter = string.match(head, '^(%d+):(%d+)$') end
        if last and tonumber(ARGV[2]) > tonumber(last) and (tonumber(last) == 0 or redis.call('EXISTS', KEYS[3]) == 1) then
            redis.call('RPUSH', KEYS[3], ARGV[3])
            redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
            redis.call('SET', KEYS[2], ARGV[2] .. ':' .. counter)
        else
            redis.call('DEL', KEYS[2], KEYS[3])
        end
        """ + Announce + """

        return 1
        """;

    private const string InvalidateScript = """
        redis.call('INCR', KEYS[1])
        for i = 2, #KEYS do
            redis.call('DEL', KEYS[i])
        end
        """ + Announce + """

        return 1
        """;

    private const string IncrementScript = """
        local value = redis.call('INCR', KEYS[1])
        """ + Announce + """

        return value
        """;

    private const string IncrementAndLogScript = """
        local value = redis.call('INCR', KEYS[1])
        redis.call('RPUSH', KEYS[2], value .. ':' .. ARGV[2])
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
        """ + Announce + """

        return value
        """;

    private const string SetScript = """
        if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        """ + Announce + """

        return 1
        """;

    private const string DeleteScript = """
        redis.call('DEL', unpack(KEYS))
        """ + Announce + """

        return 1
        """;

    // A probe unanswered for this many rounds of a second means announcements may be going missing unseen.
    private const int UnansweredProbesTolerated = 5;

    private readonly ConnectionMultiplexer multiplexer;
    private readonly RedisKey prefix;
    private readonly string keyPrefix;
    private readonly string channelName;
    private readonly RedisChannel channel;
    private readonly string probeTag = Guid.NewGuid().ToString("N");
    private readonly ITimer probes;
    private readonly ILogger<RedisCacheStore> logger;

    public RedisCacheStore(RedisOptions redisOptions, ILogger<RedisCacheStore> logger, TimeProvider time)
    {
        this.logger = logger;
        keyPrefix = redisOptions.InstanceName;
        prefix = keyPrefix;
        channelName = keyPrefix + "changes";
        channel = channelName;
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
        multiplexer.ConnectionFailed += (_, e) =>
        {
            LocalCopies.StopListening();
            logger.LogWarning(
                e.Exception, "Redis connection to {EndPoint} lost ({Failure}); using the database until it returns", e.EndPoint, e.FailureType);
        };
        multiplexer.ConnectionRestored += (_, e) => logger.LogInformation(
            "Redis connection to {EndPoint} restored; its cached state is rebuilt as it is read", e.EndPoint);
        // StackExchange.Redis subscribes again by itself after a reconnect; the probes say when that has happened.
        _ = multiplexer.GetSubscriber().SubscribeAsync(channel, OnAnnouncement).ContinueWith(
            subscribing => logger.LogWarning(subscribing.Exception, "Could not subscribe to {Channel} yet", (string?)channel),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        probes = time.CreateTimer(_ => Probe(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    // This instance's copies of the hot keys; served only while announcements are known to arrive.
    public LocalCopies LocalCopies { get; } = new();

    private IDatabase Db => multiplexer.GetDatabase().WithKeyPrefix(prefix);

    public async Task<string?> GetAsync(string key)
    {
        if (!CacheKeys.KeptInProcess(key))
        {
            return await Db.StringGetAsync(key);
        }

        if (LocalCopies.TryGet(key, out var copy))
        {
            return copy;
        }

        var stamp = LocalCopies.StampOf(key);
        string? value = await Db.StringGetAsync(key);
        LocalCopies.Keep(key, value, stamp);
        return value;
    }

    public async Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys)
    {
        if (LocalCopies.IsListening && TryGetCopies(keys) is { } copies)
        {
            return copies;
        }

        var stamps = new LocalCopies.ReadStamp[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            stamps[i] = LocalCopies.StampOf(keys[i]);
        }

        var values = await Db.StringGetAsync(keys.Select(k => (RedisKey)k).ToArray());
        var answer = new string?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            answer[i] = values[i];
            if (CacheKeys.KeptInProcess(keys[i]))
            {
                LocalCopies.Keep(keys[i], answer[i], stamps[i]);
            }
        }

        return answer;
    }

    public Task SetAsync(string key, string value, TimeSpan? expiry = null) => WriteAsync(
        SetScript, [key], [channelName, value, expiry is { } ttl ? (long)ttl.TotalMilliseconds : RedisValue.EmptyString]);

    public async Task<long> IncrementAsync(string key) => (long)await WriteAsync(IncrementScript, [key], [channelName]);

    public async Task<long> IncrementAndLogAsync(string counterKey, string logKey, string item, int keep) =>
        (long)await WriteAsync(IncrementAndLogScript, [counterKey, logKey], [channelName, item, keep]);

    public Task DeleteAsync(params string[] keys) => WriteAsync(DeleteScript, keys, [channelName]);

    public async Task<IReadOnlyList<string>> ListAllAsync(string key)
    {
        var values = await Db.ListRangeAsync(key);
        return values.Select(v => (string)v!).ToList();
    }

    public async Task<(string? Value, IReadOnlyList<string> List)> GetWithListAsync(string key, string listKey)
    {
        // Two copies present are both as new as the last announcement this instance heard, so they agree as the
        // transaction's answers do.
        var kept = CacheKeys.KeptInProcess(key) && CacheKeys.KeptInProcess(listKey);
        if (kept && LocalCopies.TryGet(key, out var copy) && LocalCopies.TryGetList(listKey, out var listCopy))
        {
            return (copy, listCopy);
        }

        var (valueStamp, listStamp) = (LocalCopies.StampOf(key), LocalCopies.StampOf(listKey));
        var transaction = Db.CreateTransaction();
        var value = transaction.StringGetAsync(key);
        var list = transaction.ListRangeAsync(listKey);
        await transaction.ExecuteAsync();
        (string? Value, IReadOnlyList<string> List) answer = (await value, (await list).Select(v => (string)v!).ToList());
        if (kept && answer.Value is not null)
        {
            LocalCopies.Keep(key, answer.Value, valueStamp);
            LocalCopies.KeepList(listKey, answer.List, listStamp);
        }

        return answer;
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
        var keys = new List<string> { generationKey };
        keys.AddRange(values.Keys);
        var args = new List<RedisValue> { channelName, expectedGeneration, values.Count };
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

        return (long)await WriteAsync(StoreIfGenerationScript, keys, [.. args]) == 1;
    }

    public Task AppendIfNewerAsync(string generationKey, string headKey, string listKey, long id, string item, int keep) =>
        WriteAsync(AppendIfNewerScript, [generationKey, headKey, listKey], [channelName, id, item, keep]);

    public Task InvalidateAsync(string generationKey, params string[] keys) =>
        WriteAsync(InvalidateScript, [generationKey, .. keys], [channelName]);

    public Task PingAsync() => Db.PingAsync();

    public void Dispose()
    {
        probes.Dispose();
        multiplexer.Dispose();
    }

    // The copies of the written keys are forgotten here once the write returns, whether or not it succeeded
    // (a timed-out script may still have run), so this instance reads its own writes without waiting for the
    // announcement; readers that began before the write do not keep what they read (LocalCopies' stamps).
    private async Task<RedisResult> WriteAsync(string script, IReadOnlyList<string> keys, RedisValue[] args)
    {
        try
        {
            return await Db.ScriptEvaluateAsync(script, keys.Select(k => (RedisKey)k).ToArray(), args);
        }
        finally
        {
            foreach (var key in keys)
            {
                LocalCopies.Forget(key);
            }
        }
    }

    private string?[]? TryGetCopies(IReadOnlyList<string> keys)
    {
        var copies = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            if (!CacheKeys.KeptInProcess(keys[i]) || !LocalCopies.TryGet(keys[i], out var copy))
            {
                return null;
            }

            copies[i] = copy;
        }

        return copies;
    }

    private void OnAnnouncement(RedisChannel from, RedisValue message)
    {
        var text = (string?)message ?? "";
        var lines = text.Split('\n');
        if (lines is ["k", ..])
        {
            foreach (var key in lines.AsSpan(1))
            {
                LocalCopies.Forget(key.StartsWith(keyPrefix, StringComparison.Ordinal) ? key[keyPrefix.Length..] : key);
            }
        }
        else if (lines is ["p", var tag, var number] && tag == probeTag && long.TryParse(number, out var probe))
        {
            LocalCopies.ProbeReturned(probe);
        }
    }

    // Once a second: a probe through the instance's own channel. Its return shows the subscription works; while
    // probes stay unanswered the local copies are not served (a connection can fail without saying so at once).
    private void Probe()
    {
        if (LocalCopies.IsListening && LocalCopies.ProbesUnanswered > UnansweredProbesTolerated)
        {
            logger.LogWarning("No answer through the Redis subscription for {Seconds} s; reading the hot keys from Redis until it answers", UnansweredProbesTolerated);
            LocalCopies.StopListening();
        }

        var probe = LocalCopies.NextProbe();
        try
        {
            _ = multiplexer.GetSubscriber().PublishAsync(channel, $"p\n{probeTag}\n{probe}").ContinueWith(
                publishing => publishing.Exception?.Handle(_ => true),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Unanswered, it counts against the subscription like any lost probe; a timer must not throw.
        }
    }
}
