using ChatMvc.Data;

namespace ChatMvc.Files;

// Removes what no message refers to: file rows and photos whose message was never stored (the process stopped
// between the two, or a retried send found its first message), posters of deleted videos, the bytes no file row
// names any more, and temporary files of uploads that never finished. Anything younger than the grace period may
// belong to a send in progress, so it stays until the next sweep.
public sealed class FileSweep(FileQueries files, IFileStore store, TimeProvider time, ILogger<FileSweep> logger)
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    public async Task<int> RunAsync(TimeSpan grace)
    {
        var cutoff = time.GetUtcNow() - grace;
        var removed = await files.DeleteUnreferencedAsync(cutoff);

        var old = store.List().Where(blob => blob.WrittenAt <= cutoff).Select(blob => blob.Sha256).ToList();
        var held = await files.HeldAsync(old);
        foreach (var sha256 in old.Where(hash => !held.Contains(hash)))
        {
            store.Delete(sha256);
            removed++;
        }

        foreach (var (path, _) in store.ListTemporary().Where(part => part.WrittenAt <= cutoff))
        {
            store.DeleteTemporary(path);
            removed++;
        }

        if (removed > 0)
        {
            logger.LogInformation("The file sweep removed {Count} unreferenced files, photos and leftovers.", removed);
        }

        return removed;
    }
}

// The sweep every hour. Each instance runs it; they remove the same things, so running twice does no harm.
public sealed class FileSweepService(FileSweep sweep, TimeProvider time, ILogger<FileSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweep.RunAsync(FileSweep.Grace);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The file sweep failed; it runs again in an hour.");
            }
        }
    }
}
