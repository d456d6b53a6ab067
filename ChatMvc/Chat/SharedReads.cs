using System.Collections.Concurrent;

namespace ChatMvc.Chat;

// Concurrent reads of the same key share one read. When the cache is cold (Redis restarted empty) or down,
// every open window of a conversation would otherwise run the same database query at the same moment: a
// few thousand pollers of one busy group turned a two-second Redis restart into many seconds of queued
// queries (bench/run.sh --redis-restart). With sharing there is at most one read in flight per key.
//
// A read is never reused after it completes, and a caller only joins a read that is still running, so a
// result is never older than the moment some caller asked for it. The caller puts into the key whatever must
// make a newer read necessary (ConversationCache adds a stamp that its own writes bump).
public sealed class SharedReads<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> running = new();

    // Reads in flight; for tests and diagnostics.
    public int Running => running.Count;

    public Task<TValue> ReadAsync(TKey key, Func<Task<TValue>> read)
    {
        while (true)
        {
            if (running.TryGetValue(key, out var joined))
            {
                return joined;
            }

            var result = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (running.TryAdd(key, result.Task))
            {
                _ = RunAsync(key, read, result);
                return result.Task;
            }
        }
    }

    private async Task RunAsync(TKey key, Func<Task<TValue>> read, TaskCompletionSource<TValue> result)
    {
        try
        {
            var value = await read();
            // Removed before completing, so no caller arriving after the read finished can receive it.
            running.TryRemove(new KeyValuePair<TKey, Task<TValue>>(key, result.Task));
            result.SetResult(value);
        }
        catch (Exception e)
        {
            running.TryRemove(new KeyValuePair<TKey, Task<TValue>>(key, result.Task));
            result.SetException(e);
        }
    }
}
