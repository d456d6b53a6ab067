namespace ChatMvc.Caching;

// The operations the app needs from a cache, served by Redis or, with no Redis configured, in process.
// The cache is disposable: anything in it can be rebuilt from the database.
//
// Rebuilds race with writes: a reader may read the database, a writer commit and update the cache, and
// the reader then store its older snapshot. A generation counter per cached object closes that gap:
// every write bumps it, and a rebuild is stored only if the generation it read first is still current.
public interface ICacheStore
{
    Task<string?> GetAsync(string key);

    Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys);

    Task SetAsync(string key, string value, TimeSpan? expiry = null);

    Task<long> IncrementAsync(string key);

    Task DeleteAsync(params string[] keys);

    Task<IReadOnlyList<string>> ListAllAsync(string key);

    // A value and a list read as one atomic snapshot.
    Task<(string? Value, IReadOnlyList<string> List)> GetWithListAsync(string key, string listKey);

    Task<long> GetGenerationAsync(string generationKey);

    // Stores a rebuilt snapshot unless a write happened since the generation was read.
    Task<bool> StoreIfGenerationAsync(
        string generationKey, long expectedGeneration, IReadOnlyDictionary<string, string> values,
        string? listKey = null, IReadOnlyList<string>? list = null);

    // Write-through for a new item with an increasing id: bumps the generation; when the cached head
    // ("lastId:counter") is older than the id, appends the item (keeping the last keep) and moves the head
    // to "id:counter"; otherwise drops head and list so the next reader rebuilds them in order.
    Task AppendIfNewerAsync(string generationKey, string headKey, string listKey, long id, string item, int keep);

    // Bumps the generation and drops the keys, so stale rebuilds in flight are not stored.
    Task InvalidateAsync(string generationKey, params string[] keys);

    // Increments the counter and records "value:item" at the end of the log (keeping the last keep), as one
    // step: the log then says what each value of the counter changed. Returns the new value.
    Task<long> IncrementAndLogAsync(string counterKey, string logKey, string item, int keep);

    // Throws when the cache cannot be reached.
    Task PingAsync();

    // True when other instances read what this one stores (Redis), so a value worth sharing is worth storing.
    bool SharedAcrossInstances => false;
}
