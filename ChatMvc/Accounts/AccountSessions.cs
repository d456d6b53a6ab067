using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using ChatMvc.Caching;
using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Accounts;

// Whether a sign-in cookie or bearer token may still be used: not once its account is deleted, or locked (which
// ends every session issued before). Asked on every signed-in request, so the answer comes from the cache: one
// small value per person ("ended", or the time sessions are valid from), rebuilt from the database on a miss and
// dropped by the same write that ends the sessions. An idle poll runs no SQL for it.
public sealed class AccountSessions(ICacheStore cache, SessionQueries queries, TimeProvider time, ILogger<AccountSessions> logger)
{
    private const string Ended = "ended";

    // Invalidations that could not reach the cache; retried before the next answer so a cache that kept its data
    // through an outage cannot let an ended session back in.
    private readonly ConcurrentDictionary<long, byte> pending = new();

    private readonly SharedReads<(long User, long Stamp), string> reads = new();
    private readonly CacheFailureLog failures = new(time, logger);
    private long writes;

    public Task<bool> IsCurrentAsync(ClaimsPrincipal principal, DateTimeOffset? issuedUtc) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            ? IsCurrentAsync(userId, issuedUtc)
            : Task.FromResult(false);

    // Tickets keep their issue time to the second, so the comparison errs towards ending a session.
    public async Task<bool> IsCurrentAsync(long userId, DateTimeOffset? issuedUtc)
    {
        if (!pending.IsEmpty)
        {
            await RetryPendingAsync();
        }

        var limit = await LimitAsync(userId);
        return limit != Ended && issuedUtc is { } issued
            && issued.ToUnixTimeMilliseconds() >= long.Parse(limit, CultureInfo.InvariantCulture);
    }

    // Lockout: every session and refresh token issued until now stops working at once.
    public async Task EndAllAsync(long userId)
    {
        await queries.EndAllAsync(userId, Clock.ToUnixMs(time.GetUtcNow()));
        await ForgetAsync(userId);
    }

    // Reads the person's session state into the cache (a no-op when it is there), at sign-in.
    public Task WarmAsync(long userId) => LimitAsync(userId);

    // After the account's row changed in a way that ends sessions (it was deleted): the next request rebuilds.
    public async Task ForgetAsync(long userId)
    {
        Interlocked.Increment(ref writes);
        try
        {
            await cache.InvalidateAsync(CacheKeys.SessionsGeneration(userId), CacheKeys.Sessions(userId));
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            pending[userId] = 0;
            failures.Failed(e, "could not drop (retrying before the next sign-in check) the cached session state of user", userId);
        }
    }

    private async Task<string> LimitAsync(long userId)
    {
        try
        {
            if (await cache.GetAsync(CacheKeys.Sessions(userId)) is { } cached)
            {
                return cached;
            }
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            failures.Failed(e, "reading from the database the session state of user", userId);
        }

        return await RebuildAsync(userId);
    }

    // Shared with concurrent callers (a flushed cache meets every open window of a person at once), and stored
    // for the next reader unless a write came in meanwhile (the generation check). The key carries a stamp that
    // this instance's own writes bump, so whoever has just ended sessions never joins a read from before.
    private Task<string> RebuildAsync(long userId) => reads.ReadAsync((userId, Volatile.Read(ref writes)), async () =>
    {
        long? generation = null;
        try
        {
            generation = await cache.GetGenerationAsync(CacheKeys.SessionsGeneration(userId));
        }
        catch (Exception e) when (IsCacheFailure(e))
        {
            failures.Failed(e, "not storing the session state read from the database for user", userId);
        }

        var limit = await ReadLimitAsync(userId);
        if (generation is { } readGeneration)
        {
            try
            {
                await cache.StoreIfGenerationAsync(
                    CacheKeys.SessionsGeneration(userId), readGeneration, new Dictionary<string, string> { [CacheKeys.Sessions(userId)] = limit });
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                failures.Failed(e, "could not store the session state read from the database for user", userId);
            }
        }

        return limit;
    });

    private async Task<string> ReadLimitAsync(long userId) => await queries.LimitAsync(userId) switch
    {
        null or { DeactivatedAt: not null } => Ended,
        var limit => (limit.SessionsValidSince ?? 0).ToString(CultureInfo.InvariantCulture),
    };

    private async Task RetryPendingAsync()
    {
        foreach (var userId in pending.Keys)
        {
            try
            {
                await cache.InvalidateAsync(CacheKeys.SessionsGeneration(userId), CacheKeys.Sessions(userId));
                pending.TryRemove(userId, out _);
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                return;
            }
        }
    }

    private static bool IsCacheFailure(Exception e) => e is StackExchange.Redis.RedisException or TimeoutException;
}

public static class AccountSessionsServiceCollectionExtensions
{
    // After AddChatAccounts, so this check wraps (and runs before) the cookie's other principal checks.
    public static IServiceCollection AddAccountSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionQueries>();
        services.AddSingleton<AccountSessions>();
        services.ConfigureApplicationCookie(options =>
        {
            var validatePrincipal = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                if (context.Principal is { } principal
                    && await context.HttpContext.RequestServices.GetRequiredService<AccountSessions>()
                        .IsCurrentAsync(principal, context.Properties.IssuedUtc))
                {
                    await validatePrincipal(context);
                    return;
                }

                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            };
        });
        return services;
    }
}
