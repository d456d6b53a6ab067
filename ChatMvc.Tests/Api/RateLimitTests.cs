using System.Net;
using System.Net.Http.Json;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace ChatMvc.Tests.Api;

// Limits low enough to reach in a test; the defaults are generous so the other suites never meet them.
public sealed class LowRateLimitApp() : ChatAppFactory(Engine.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:RateLimits:AuthPerMinute"] = "4",
            ["Api:RateLimits:PostingPerMinute"] = "3",
        }));
    }
}

public sealed class RateLimitTests(LowRateLimitApp app) : IClassFixture<LowRateLimitApp>
{
    // Signed in with cookies through the pages, which are not limited, so the sign-in budget is left alone.
    [Fact]
    public async Task Too_many_posts_in_a_minute_are_a_429_with_retry_after_while_reading_goes_on()
    {
        using var ann = await app.NewPersonAsync("Ann Chatty");
        using var bo = await app.NewPersonAsync("Bo Quiet");
        var id = await ann.StartConversationAsync(null, bo);
        var token = (await ann.OpenAsync(id)).Document.QuerySelector("#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 1; i <= 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{id}/messages")
            {
                Content = JsonContent.Create(new { body = $"Message {i}" }),
            };
            request.Headers.Add("RequestVerificationToken", token);
            last = await ann.Client.Http.SendAsync(request);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        var problem = await last!.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Retry-After", problem.GetProperty("detail").GetString());
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(3, await app.CountMessagesAsync(id));
        Assert.Equal(HttpStatusCode.OK, (await ann.Client.Http.GetAsync($"/api/v1/conversations/{id}/messages")).StatusCode);
    }

    [Fact]
    public async Task Too_many_sign_ins_from_one_address_are_a_429()
    {
        using var http = app.NewApiClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.test", password = "wrong" })).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        var limited = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.test", password = "wrong" });
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    // The same budget as a person's, counted per webhook, so one noisy build server cannot use up another's.
    [Fact]
    public async Task Too_many_webhook_posts_in_a_minute_are_a_429_per_webhook()
    {
        using var ann = await app.NewPersonAsync("Ann Hooks");
        using var bo = await app.NewPersonAsync("Bo Hooks");
        var id = await ann.StartConversationAsync("Noisy builds", bo);
        var first = await MakeBotAsync(ann, id, "Noisy");
        var second = await MakeBotAsync(ann, id, "Quiet");
        using var hook = app.NewApiClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
        {
            statuses.Add((await hook.PostAsJsonAsync(first, new { text = $"Build {i}" })).StatusCode);
        }

        var other = await hook.PostAsJsonAsync(second, new { text = "Other build" });

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(4, await app.CountMessagesAsync(id));
    }

    private static async Task<string> MakeBotAsync(Participant owner, long id, string name)
    {
        var page = await owner.SubmitOnAsync(ChatMvc.Chat.ChatUrls.Bots(id), "form[action$='/bots']", new() { ["name"] = name });
        return new Uri(page.Document.QuerySelector("#new-webhook-url")!.GetAttribute("value")!).PathAndQuery;
    }
}
