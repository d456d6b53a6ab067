using System.Net;
using System.Threading.RateLimiting;
using ChatMvc.Api;
using ChatMvc.Chat;
using Microsoft.Extensions.Options;

namespace ChatMvc.Security;

// The limits that pages and the API share: sending a message counts the same whichever face it comes through.
public sealed class RateLimitOptions
{
    // Under "Api" because the API introduced them; the keys stay as deployments already set them.
    public const string Section = "Api:RateLimits";

    public const string AuthPolicy = "api-auth";

    public const string PostingPolicy = "api-posting";

    // A bot's webhook: PostingPerMinute per webhook key, as a person gets per account.
    public const string HookPolicy = "hook-posting";

    // Register, login and refresh together, per client address. Generous: people behind one proxy share an address,
    // and Identity's lockout already guards each account against password guessing.
    public int AuthPerMinute { get; set; } = 300;

    // Sending messages, per signed-in person.
    public int PostingPerMinute { get; set; } = 600;
}

public static class RateLimitServiceCollectionExtensions
{
    public static IServiceCollection AddChatRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = ApiProblems.TooManyRequestsAsync;
            options.AddPolicy(RateLimitOptions.AuthPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                "address:" + (context.Connection.RemoteIpAddress ?? IPAddress.None),
                _ => PerMinute(Limits(context).AuthPerMinute)));
            options.AddPolicy(RateLimitOptions.PostingPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                "user:" + context.User.UserId(),
                _ => PerMinute(Limits(context).PostingPerMinute)));
            options.AddPolicy(RateLimitOptions.HookPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                "hook:" + context.GetRouteValue("key"),
                _ => PerMinute(Limits(context).PostingPerMinute)));
        });
        return services;
    }

    private static RateLimitOptions Limits(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;

    private static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
