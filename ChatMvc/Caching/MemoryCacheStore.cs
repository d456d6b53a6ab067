namespace ChatMvc.Caching;

// The embedded default: the same contract as Redis, for a single process. One lock keeps the compound
// operations atomic, as Lua scripts do on Redis; the cache is small and the critical sections tiny.
public sealed class MemoryCacheStore(TimeProvider time) : ICacheStore
{
    private readonly Dictionary<string, Entry> entries = [];
    private readonly Lock gate = new();

    // Entries held, expired ones not yet noticed included; for tests and diagnostics.
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public Task<string?> GetAsync(string key)
    {
        lock (gate)
        {
            return Task.FromResult(Read(key) as string);
        }
    }

    public Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<string?>>(keys.Select(k => Read(k) as string).ToList());
        }
    }

    public Task SetAsync(string key, string value, TimeSpan? expiry = null)
    {
        lock (gate)
        {
            entries[key] = new Entry(value, expiry is null ? null : time.GetUtcNow() + expiry);
        }

        return Task.CompletedTask;
    }

    public Task<long> IncrementAsync(string key)
    {
        lock (gate)
        {
            return Task.FromResult(Increment(key));
        }
    }

    public Task DeleteAsync(params string[] keys)
    {
        lock (gate)
        {
            foreach (var key in keys)
            {
                entries.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAllAsync(string key)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<string>>((Read(key) as List<string>)?.ToList() ?? []);
        }
    }

    public Task<(string? Value, IReadOnlyList<string> List)> GetWithListAsync(string key, string listKey)
    {
        lock (gate)
        {
            return Task.FromResult<(string?, IReadOnlyList<string>)>(
                (Read(key) as string, (Read(listKey) as List<string>)?.ToList() ?? []));
        }
    }

    public Task<long> GetGenerationAsync(string generationKey)
    {
        lock (gate)
        {
            return Task.FromResult(long.Parse(Read(generationKey) as string ?? "0"));
        }
    }

    public Task<bool> StoreIfGenerationAsync(
        string generationKey, long expectedGeneration, IReadOnlyDictionary<string, string> values,
        string? listKey = null, IReadOnlyList<string>? list = null)
    {
        lock (gate)
        {
            if (long.Parse(Read(generationKey) as string ?? "0") != expectedGeneration)
            {
                return Task.FromResult(false);
            }

            foreach (var (key, value) in values)
            {
                entries[key] = new Entry(value, null);
            }

            if (listKey is not null)
            {
                entries[listKey] = new Entry((list ?? []).ToList(), null);
            }

            return Task.FromResult(true);
        }
    }

    public Task AppendIfNewerAsync(string generationKey, string headKey, string listKey, long id, string item, int keep)
    {
        lock (gate)
        {
            Increment(generationKey);
            var head = (Read(headKey) as string)?.Split(':');
            if (head is [var last, var counter] && id > long.Parse(last) && Read(listKey) is List<string> list)
            {
                list.Add(item);
                if (list.Count > keep)
                {
                    list.RemoveRange(0, list.Count - keep);
                }

                entries[headKey] = new Entry($"{id}:{counter}", null);
            }
            else
            {
                entries.Remove(headKey);
                entries.Remove(listKey);
            }
        }

        return Task.CompletedTask;
    }

    public Task InvalidateAsync(string generationKey, params string[] keys)
    {
        lock (gate)
        {
            Increment(generationKey);
            foreach (var key in keys)
            {
                entries.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<long> IncrementAndLogAsync(string counterKey, string logKey, string item, int keep)
    {
        lock (gate)
        {
            var value = Increment(counterKey);
            if (Read(logKey) is not List<string> log)
            {
                log = [];
                entries[logKey] = new Entry(log, null);
            }

            log.Add(value.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + item);
            if (log.Count > keep)
            {
                log.RemoveRange(0, log.Count - keep);
            }

            return Task.FromResult(value);
        }
    }

    public Task PingAsync() => Task.CompletedTask;

    private long Increment(string key)
    {
        var next = long.Parse(Read(key) as string ?? "0") + 1;
        entries[key] = new Entry(next.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
        return next;
    }

    private object? Read(string key)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            entries.Remove(key);
            return null;
        }

        return entry.Value;
    }

    private sealed record Entry(object Value, DateTimeOffset? ExpiresAt);
}
