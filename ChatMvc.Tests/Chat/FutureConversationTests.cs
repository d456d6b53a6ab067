using System.Net;
using System.Net.Http.Json;
using ChatMvc.Caching;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ChatMvc.Tests.Chat;

// Ids are sequential, so anyone can guess the next ones. Asking for one before it exists must leave nothing
// behind that could stand in for the conversation once it is created.
public abstract class FutureConversationTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Conversations_an_outsider_probed_before_they_existed_open_for_their_members()
    {
        using var eve = await app.NewPersonAsync("Eve Prober");
        using var ann = await app.NewPersonAsync("Ann Future");
        using var bo = await app.NewPersonAsync("Bo Future");
        using var cy = await app.NewApiUserAsync("Cy Future");
        var eves = await eve.StartConversationAsync(null, ann);
        var probed = Enumerable.Range(1, 6).Select(n => eves + n).ToList();
        foreach (var id in probed)
        {
            await ProbeAsync(eve, id);
        }

        var direct = await ann.StartConversationAsync(null, bo);
        var group = await cy.StartConversationAsync("Future plans", ann.Id, bo.Id);
        var second = await bo.StartConversationAsync("Second future", ann);

        Assert.Subset(probed.ToHashSet(), new HashSet<long> { direct, group, second });
        foreach (var id in new[] { direct, group, second })
        {
            foreach (var member in new[] { ann, bo })
            {
                Assert.Equal(HttpStatusCode.OK, (await member.OpenAsync(id)).Status);
                var sent = await member.SendAsync(id, $"{member.User.DisplayName} in {id}");
                Assert.Contains($"{member.User.DisplayName} in {id}", ChatSteps.MessageTexts(sent.Document));
                Assert.Equal(HttpStatusCode.OK, (await member.Client.Http.GetAsync($"/api/v1/conversations/{id}")).StatusCode);
            }

            await ProbeAsync(eve, id);
        }

        Assert.Equal(HttpStatusCode.OK, (await cy.Http.GetAsync($"/api/v1/conversations/{group}")).StatusCode);
        var fromCy = await cy.Http.PostAsJsonAsync($"/api/v1/conversations/{group}/messages", new { body = "Cy was here" });
        await fromCy.JsonAsync(HttpStatusCode.Created);
        Assert.Contains("Cy was here", ChatSteps.MessageTexts((await ann.OpenAsync(group)).Document));
    }

    // As a version that stored misses left it behind: creating the conversation clears it on the way.
    [Fact]
    public async Task An_empty_member_list_cached_under_an_id_before_it_existed_is_dropped_when_it_is_created()
    {
        using var ann = await app.NewPersonAsync("Ann Upgrade");
        using var bo = await app.NewPersonAsync("Bo Upgrade");
        using var cy = await app.NewPersonAsync("Cy Upgrade");
        var earlier = await ann.StartConversationAsync(null, bo);
        await app.Services.GetRequiredService<ICacheStore>().SetAsync(CacheKeys.Members(earlier + 1), "[]");

        var id = await ann.StartConversationAsync("After the upgrade", bo, cy);

        Assert.Equal(earlier + 1, id);
        Assert.Equal(HttpStatusCode.OK, (await bo.OpenAsync(id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await cy.Client.Http.GetAsync($"/api/v1/conversations/{id}")).StatusCode);
    }

    [Fact]
    public async Task Probing_many_ids_that_do_not_exist_leaves_nothing_in_the_cache()
    {
        using var eve = await app.NewPersonAsync("Eve Many");
        using var bo = await app.NewPersonAsync("Bo Many");
        var eves = await eve.StartConversationAsync(null, bo);
        await ProbeAsync(eve, eves + 1_000_000);
        var before = await CacheEntriesAsync();

        for (var n = 2; n < 400; n++)
        {
            var url = n % 4 == 0 ? $"/conversations/{eves + 1_000_000 + n}" : $"/api/v1/conversations/{eves + 1_000_000 + n}";
            Assert.Equal(HttpStatusCode.NotFound, (await eve.Client.Http.GetAsync(url)).StatusCode);
        }

        Assert.Equal(before, await CacheEntriesAsync());
    }

    private static async Task ProbeAsync(Participant outsider, long id)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.Http.GetAsync($"/api/v1/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.Http.GetAsync($"/api/v1/conversations/{id}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.OpenAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PollAsync(id, 0, 0)).Status);
    }

    // Everything the app's cache holds, counted in the store itself: the app's keys in Redis, or the
    // in-process store's entries.
    private async Task<int> CacheEntriesAsync()
    {
        var store = app.Services.GetRequiredService<ICacheStore>();
        if (store is MemoryCacheStore memory)
        {
            return memory.Count;
        }

        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        return redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: app.RedisInstanceName + "*", pageSize: 1000).Count();
    }
}

public sealed class FutureConversationTestsOnSqlite(SqliteApp app) : FutureConversationTests<SqliteApp>(app);

public sealed class FutureConversationTestsOnMariaDb(MariaDbApp app) : FutureConversationTests<MariaDbApp>(app);
