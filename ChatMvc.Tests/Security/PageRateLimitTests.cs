using System.Net;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace ChatMvc.Tests.Security;

public sealed class PageRateLimitTests(PageRateLimitTests.LowLimitApp app) : IClassFixture<PageRateLimitTests.LowLimitApp>
{
    [Fact]
    public async Task Too_many_sign_in_attempts_from_one_address_get_a_429_page_with_retry_after()
    {
        using var client = new WebSession(app);
        var statuses = new List<HttpStatusCode>();
        Page? last = null;
        for (var i = 0; i < 8; i++)
        {
            last = await client.SignInAsync($"nobody{i}@example.test", "Wrong-password-1");
            statuses.Add(last.Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.Status);
        Assert.Equal("Too many attempts", last.Document.QuerySelector("main h1")!.TextContent.Trim());
        Assert.True(last.Response.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Identity/Account/Login")).Status);
    }

    [Fact]
    public async Task Too_many_messages_from_one_person_in_a_minute_get_a_429_and_are_not_stored()
    {
        using var ann = await app.NewPersonAsync("Ann Fast");
        using var bo = await app.NewPersonAsync("Bo Slow");
        var id = await ann.StartConversationAsync(null, bo);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await ann.SendAsync(id, $"Burst {i}")).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.OK), await app.CountMessagesAsync(id));
    }

    public sealed class LowLimitApp() : ChatAppFactory(Engine.Sqlite)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Accounts:RateLimits:PostsPerMinute"] = "6",
                ["Api:RateLimits:PostingPerMinute"] = "3",
            }));
        }
    }
}
