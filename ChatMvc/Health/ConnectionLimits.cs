using System.Globalization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ChatMvc.Health;

// Every client connection holds a file descriptor. When the process runs out of them, accept() fails and so
// does everything else that opens one (a database connection, Redis, a file upload, the runtime's own reads
// of /proc and the cgroup files), so a connection flood takes down the clients already served. The connection
// limit keeps a reserve of descriptors for all of that: connections past the limit are accepted and closed at
// once in the accept loop (ConnectionGate), while the admitted ones and /healthz go on being answered.
public static class ConnectionLimits
{
    public const string MaxConnectionsKey = "Kestrel:Limits:MaxConcurrentConnections";
    public const string MaxUpgradedConnectionsKey = "Kestrel:Limits:MaxConcurrentUpgradedConnections";

    // Descriptors kept for everything but client connections: the MySQL pool (100 connections by default),
    // Redis, SQLite's files, uploads and file downloads in progress, the data protection keys, the logs and
    // the runtime's own (its epoll and event descriptors, the files it maps). The app holds about 150 at rest.
    public const long Reserve = 1024;

    // The default limit for a process allowed openFileLimit descriptors: all but the reserve, and never more
    // than half of a small limit (1,024 descriptors give 512 connections).
    public static long DefaultFor(long openFileLimit) =>
        openFileLimit <= 0 ? 0 : Math.Max(openFileLimit - Reserve, openFileLimit / 2);

    // The process's soft limit on open files (RLIMIT_NOFILE) as /proc/self/limits gives it; null where there
    // is no such file (not Linux) or the limit is unlimited.
    public static long? OpenFileSoftLimit(string limitsFile = "/proc/self/limits")
    {
        if (!File.Exists(limitsFile))
        {
            return null;
        }

        return ParseOpenFileSoftLimit(File.ReadAllLines(limitsFile));
    }

    // "Max open files            20000                20000                files": the soft limit is the first number.
    public static long? ParseOpenFileSoftLimit(IEnumerable<string> limitsLines)
    {
        foreach (var line in limitsLines)
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
        }

        return null;
    }

    // Kestrel binds its own Kestrel:Limits section; a limit set there wins. Without one, the connection limit
    // follows the open-file limit, and upgraded connections (which Kestrel counts apart from the others, but
    // which hold a descriptor all the same) are refused: the app serves nothing that upgrades.
    public static IServiceCollection AddConnectionLimits(this IServiceCollection services, IConfiguration configuration, long? openFileLimit)
    {
        services.PostConfigure<KestrelServerOptions>(options =>
        {
            options.Limits.MaxConcurrentConnections =
                Configured(configuration, MaxConnectionsKey) ?? (openFileLimit is { } limit ? DefaultFor(limit) : null);
            options.Limits.MaxConcurrentUpgradedConnections = Configured(configuration, MaxUpgradedConnectionsKey) ?? 0;
        });
        services.AddSingleton<ConnectionGate>();
        GateTransports(services);
        services.AddHostedService<RefusedConnectionsLog>();
        return services;
    }

    // Every transport Kestrel has registered (sockets) accepts through the gate (ConnectionGate.cs).
    private static void GateTransports(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var transport = services[i];
            if (transport.ServiceType != typeof(IConnectionListenerFactory) || transport.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<IConnectionListenerFactory>(provider => new GatedListenerFactory(
                (IConnectionListenerFactory)(transport.ImplementationInstance
                    ?? transport.ImplementationFactory?.Invoke(provider)
                    ?? ActivatorUtilities.CreateInstance(provider, transport.ImplementationType!)),
                provider.GetRequiredService<ConnectionGate>()));
        }
    }

    // Said once at startup, so whoever runs the app sees the limit in force and where it came from.
    public static WebApplication LogConnectionLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectionLimits));
        var source = app.Configuration[MaxConnectionsKey] is { Length: > 0 }
            ? MaxConnectionsKey
            : OpenFileSoftLimit() is { } openFiles ? $"from the open-file limit, {openFiles}" : "no open-file limit found";
        logger.LogInformation(
            "Connections at once: at most {MaxConnections} ({Source}); upgraded connections: at most {MaxUpgraded}.",
            limits.MaxConcurrentConnections?.ToString(CultureInfo.InvariantCulture) ?? "unlimited",
            source,
            limits.MaxConcurrentUpgradedConnections?.ToString(CultureInfo.InvariantCulture) ?? "unlimited");
        return app;
    }

    private static long? Configured(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } text
            ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidOperationException($"{key} must be a whole number of connections, not '{text}'.")
            : null;
}
