using ChatMvc.Caching;
using ChatMvc.Data;
using ChatMvc.Images;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatMvc.Health;

public sealed class DatabaseHealthCheck(ChatDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{db.Dialect.Provider} answers");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{db.Dialect.Provider} does not answer: {e.Message}");
        }
    }
}

public sealed class CacheHealthCheck(ICacheStore cache) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await cache.PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"{cache.GetType().Name} answers");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{cache.GetType().Name} does not answer: {e.Message}");
        }
    }
}

// Photos off is worth knowing but leaves chat working, so it is Degraded (still 200), never Unhealthy.
public sealed class ImagesHealthCheck(ImageLibrary library) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(library.Available
            ? HealthCheckResult.Healthy($"libvips ({library.Name}) loaded")
            : HealthCheckResult.Degraded($"photos are off: {library.Problem}. {ImageLibrary.InstallHint}"));
}

public static class HealthEndpoint
{
    // Plain text a person or a load balancer can read: overall status, then one line per dependency.
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Select(e => $"{e.Key}: {e.Value.Status} ({e.Value.Description})");
        return context.Response.WriteAsync($"{report.Status}\n{string.Join("\n", lines)}\n");
    }
}
