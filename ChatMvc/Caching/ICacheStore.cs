namespace ChatMvc.Caching;

// The small set of operations the app needs from a cache, served by Redis or, with no Redis configured,
// in process. The cache is disposable: anything in it can be rebuilt from the database.
public interface ICacheStore
{
    Task<string?> GetAsync(string key);

    Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys);

    Task SetAsync(string key, string value, TimeSpan? expiry = null);

    Task<long> IncrementAsync(string key);

    Task DeleteAsync(params string[] keys);

    // Appends to a list and keeps only its last keepLast items.
    Task ListAppendAsync(string key, string value, int keepLast);

    Task ListReplaceAsync(string key, IReadOnlyList<string> values);

    Task<IReadOnlyList<string>> ListAllAsync(string key);

    // Throws when the cache cannot be reached.
    Task PingAsync();
}
