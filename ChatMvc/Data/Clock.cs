namespace ChatMvc.Data;

// The database stores UTC milliseconds since the epoch on both engines.
public static class Clock
{
    public static long ToUnixMs(DateTime utc) => new DateTimeOffset(utc.ToUniversalTime()).ToUnixTimeMilliseconds();

    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTime FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    public static DateTimeOffset OffsetFromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
