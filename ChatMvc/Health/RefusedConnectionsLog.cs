using System.Diagnostics.Metrics;

namespace ChatMvc.Health;

// Kestrel logs a warning for every connection it refuses past its limit. In a flood that is thousands of lines a
// second into the console logger's bounded queue, whose writers then wait, so the threads that should be closing
// the refused connections stall and the descriptors the limit keeps in reserve run out. appsettings.json turns
// those warnings off; this says instead, at most once per interval, how many connections were refused: by the
// gate in the accept loop (ConnectionGate), and by Kestrel's own limits (its kestrel.rejected_connections
// instrument), which upgraded connections still meet.
public sealed class RefusedConnectionsLog(
    IMeterFactory meters, ConnectionGate gate, IConfiguration configuration, TimeProvider time, ILogger<RefusedConnectionsLog> logger)
    : BackgroundService
{
    public const string IntervalKey = "ConnectionLimits:RefusedReportSeconds";

    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";
    private const string RejectedInstrument = "kestrel.rejected_connections";

    private long refused;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue(IntervalKey, 60);
        using var listener = new MeterListener();
        // Only this app's Kestrel: several hosts can share a process (the tests run many).
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KestrelMeter && instrument.Name == RejectedInstrument && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref refused, value));
        listener.Start();

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, seconds)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Report(seconds);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Report(seconds);
        }
    }

    private void Report(int seconds)
    {
        var count = Interlocked.Exchange(ref refused, 0) + gate.TakeRefused();
        if (count > 0)
        {
            logger.LogWarning(
                "Connections refused in the last {Seconds} s: {Count}; the limit of connections at once was reached ({Key}).",
                seconds, count, ConnectionLimits.MaxConnectionsKey);
        }
    }
}
