using Microsoft.Extensions.Options;

namespace ChatMvc.Caching;

public static class CacheServiceCollectionExtensions
{
    public static IServiceCollection AddChatCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section));
        // Chosen when first needed, not at registration, so configuration added later by the host still counts.
        services.AddSingleton<ICacheStore>(sp =>
        {
            var redis = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            return string.IsNullOrWhiteSpace(redis.Configuration)
                ? new MemoryCacheStore(sp.GetRequiredService<TimeProvider>())
                : new RedisCacheStore(redis, sp.GetRequiredService<ILogger<RedisCacheStore>>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
