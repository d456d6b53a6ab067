namespace ChatMvc.Chat;

// Keeps retrying cache invalidations that failed while the cache was unreachable.
public sealed class CacheRepairService(ConversationCache cache, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (cache.HasPendingRepairs)
            {
                await cache.RepairAsync();
            }
        }
    }
}
