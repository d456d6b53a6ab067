namespace ChatMvc.Caching;

// Cache failures are logged once per interval with a count of the rest: during an outage every request
// fails over to the database, and a warning with a stack trace for each would add a logging storm to it.
public sealed class CacheFailureLog(TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private long lastLogged;
    private long unlogged;

    public void Failed(Exception e, string what, long id)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastLogged);
        if ((last == 0 || time.GetElapsedTime(last, now) >= Interval)
            && Interlocked.CompareExchange(ref lastLogged, now, last) == last)
        {
            logger.LogWarning(
                e, "Cache unavailable; {What} {Id} ({Unlogged} more cache failures since the last warning)",
                what, id, Interlocked.Exchange(ref unlogged, 0));
        }
        else
        {
            Interlocked.Increment(ref unlogged);
        }
    }
}
