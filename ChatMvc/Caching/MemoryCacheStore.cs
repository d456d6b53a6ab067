using System.Collections.Concurrent;

namespace ChatMvc.Caching;

// The embedded default: the same contract as Redis, for a single process.
public sealed class MemoryCacheStore(TimeProvider time) : ICacheStore
{
    private readonly ConcurrentDictionary<string, Entry> entries = new();

    public Task<string?> GetAsync(string key) => Task.FromResult(Read(key) as string);

    public Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys) =>
        Task.FromResult<IReadOnlyList<string?>>(keys.Select(k => Read(k) as string).ToList());

    public Task SetAsync(string key, string value, TimeSpan? expiry = null)
    {
        entries[key] = new Entry(value, expiry is null ? null : time.GetUtcNow() + expiry);
        return Task.CompletedTask;
    }

    public Task<long> IncrementAsync(string key)
    {
        var entry = entries.AddOrUpdate(
            key,
            _ => new Entry("1", null),
            (_, old) => new Entry((long.Parse(old.Value as string ?? "0") + 1).ToString(), old.ExpiresAt));
        return Task.FromResult(long.Parse((string)entry.Value));
    }

    public Task DeleteAsync(params string[] keys)
    {
        foreach (var key in keys)
        {
            entries.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    public Task ListAppendAsync(string key, string value, int keepLast)
    {
        entries.AddOrUpdate(
            key,
            _ => new Entry(new[] { value }, null),
            (_, old) =>
            {
                var list = (old.Value as string[] ?? []).Append(value).ToArray();
                return new Entry(list.Length > keepLast ? list[^keepLast..] : list, old.ExpiresAt);
            });
        return Task.CompletedTask;
    }

    public Task ListReplaceAsync(string key, IReadOnlyList<string> values)
    {
        entries[key] = new Entry(values.ToArray(), null);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAllAsync(string key) =>
        Task.FromResult<IReadOnlyList<string>>(Read(key) as string[] ?? []);

    public Task PingAsync() => Task.CompletedTask;

    private object? Read(string key)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            entries.TryRemove(key, out _);
            return null;
        }

        return entry.Value;
    }

    private sealed record Entry(object Value, DateTimeOffset? ExpiresAt);
}
