using System.Collections.Concurrent;

namespace ChatMvc.Caching;

// Copies of hot cache values kept in process, so that an idle poll (membership, head, session state, inbox version)
// and a warm page (its list rows, the recent messages of a window) need no round trip to Redis. Every write to Redis
// announces the keys it changed (RedisCacheStore), and each instance forgets its copies of them; the writing instance
// forgets them as soon as its write returns.
//
// A copy is trusted only while the announcements are known to arrive: from the moment this instance received
// one of its own probes through the subscription until the connection is lost or a probe goes unanswered. Each
// loss or return of that certainty starts a new epoch, so nothing read before it is served after it: whatever
// was announced while no one listened is never hidden behind an old copy.
public sealed class LocalCopies(int capacity = LocalCopies.DefaultCapacity)
{
    public const int DefaultCapacity = 200_000;

    // About 128 MB of text between two starts over.
    private const long MaxCharsKept = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Copy> copies = new(StringComparer.Ordinal);

    // Bumped when a key is forgotten. Keys share the slots of a fixed table, so memory stays bounded; a shared slot
    // only means a copy is sometimes read again from Redis when it need not be.
    private readonly long[] stamps = new long[4096];

    private readonly Lock transitions = new();
    private long epoch;
    private long keeps;
    private long charsKept;
    private long probesSent;
    private long probesReturned;
    private long stoppedAfterProbe;
    private volatile bool listening;

    public bool IsListening => listening;

    public int Count => copies.Count;

    // What a reader notes before it asks Redis, and shows when it stores the answer: a write announced meanwhile
    // (or a lost subscription) makes the answer too old to keep.
    public readonly record struct ReadStamp(long Epoch, long Slot);

    public bool TryGet(string key, out string value)
    {
        if (TryGetCopy(key) is { Value: string text })
        {
            value = text;
            return true;
        }

        value = "";
        return false;
    }

    // A whole list (a conversation's recent messages), under the same rules as a single value.
    public bool TryGetList(string key, out IReadOnlyList<string> items)
    {
        if (TryGetCopy(key) is { Value: IReadOnlyList<string> list })
        {
            items = list;
            return true;
        }

        items = [];
        return false;
    }

    public ReadStamp StampOf(string key) => new(Volatile.Read(ref epoch), Volatile.Read(ref stamps[SlotOf(key)]));

    public void Keep(string key, string? value, ReadStamp stamp) => KeepCopy(key, value, value?.Length ?? 0, stamp);

    public void KeepList(string key, IReadOnlyList<string> items, ReadStamp stamp)
    {
        var chars = 0L;
        foreach (var item in items)
        {
            chars += item.Length;
        }

        KeepCopy(key, items, chars, stamp);
    }

    private void KeepCopy(string key, object? value, long chars, ReadStamp stamp)
    {
        if (value is null || !listening || stamp.Epoch != Volatile.Read(ref epoch) || stamp.Slot != Volatile.Read(ref stamps[SlotOf(key)]))
        {
            return;
        }

        // Counting the dictionary takes all its locks, so the bound is checked now and then: it is a bound, not a size.
        // The characters kept since the last start are counted as they come (a replaced copy is not taken off), so
        // recent-message lists cannot grow the process without limit; going past either bound only starts over.
        if (((Interlocked.Increment(ref keeps) & 1023) == 0 && copies.Count >= capacity)
            || Interlocked.Add(ref charsKept, chars) > MaxCharsKept)
        {
            StartOver();
            return;
        }

        copies[key] = new Copy(value, stamp.Epoch, stamp.Slot);
    }

    private Copy? TryGetCopy(string key) =>
        listening && copies.TryGetValue(key, out var copy) && copy.Epoch == Volatile.Read(ref epoch)
            && copy.Slot == Volatile.Read(ref stamps[SlotOf(key)])
            ? copy
            : null;

    // A write to the key was made or announced: the next reader asks Redis.
    public void Forget(string key)
    {
        Interlocked.Increment(ref stamps[SlotOf(key)]);
        copies.TryRemove(key, out _);
    }

    // Announcements may have been missed (the subscription dropped or stopped answering): nothing is served from
    // here until they are known to arrive again, shown by a probe sent after this.
    public void StopListening()
    {
        lock (transitions)
        {
            stoppedAfterProbe = probesSent;
            listening = false;
            StartOver();
        }
    }

    // The number of the next probe to announce through Redis.
    public long NextProbe()
    {
        lock (transitions)
        {
            return ++probesSent;
        }
    }

    // Probes sent since the last one that came back.
    public long ProbesUnanswered
    {
        get
        {
            lock (transitions)
            {
                return probesSent - probesReturned;
            }
        }
    }

    // One of this instance's probes came back through the subscription: every announcement made from now on
    // arrives, and every copy from before may have missed one. A probe sent before the subscription was lost
    // proves nothing about it since.
    public void ProbeReturned(long probe)
    {
        lock (transitions)
        {
            probesReturned = Math.Max(probesReturned, probe);
            if (!listening && probe > stoppedAfterProbe)
            {
                StartOver();
                listening = true;
            }
        }
    }

    private void StartOver()
    {
        Interlocked.Increment(ref epoch);
        copies.Clear();
        Interlocked.Exchange(ref charsKept, 0);
    }

    private int SlotOf(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)stamps.Length);

    // A string, or a list of them.
    private sealed record Copy(object Value, long Epoch, long Slot);
}
