using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ChatMvc.Tests.Api;

// A script using the API: no cookies, a bearer token from the login route.
public sealed class ApiUser : IDisposable
{
    public required HttpClient Http { get; init; }

    public required long Id { get; init; }

    public required TestUser Account { get; init; }

    public required string RefreshToken { get; set; }

    public void Dispose() => Http.Dispose();
}

public static class ApiSteps
{
    public static HttpClient NewApiClient(this ChatAppFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public static Task<ApiUser> NewApiUserAsync(this ChatAppFactory app, string displayName) =>
        NewApiUserAsync(app.NewApiClient(), displayName);

    // Registers and signs in through the API on a client of any app (in process or its own process).
    public static async Task<ApiUser> NewApiUserAsync(HttpClient http, string displayName)
    {
        var account = AccountSteps.NewUser(displayName);
        var registered = await http.PostAsJsonAsync("/api/v1/auth/register", new { account.Email, account.Password, account.DisplayName });
        var me = await registered.JsonAsync(HttpStatusCode.Created);
        var tokens = await http.LoginAsync(account.Email, account.Password);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return new ApiUser
        {
            Http = http,
            Id = me.GetProperty("id").GetInt64(),
            Account = account,
            RefreshToken = tokens.GetProperty("refreshToken").GetString()!,
        };
    }

    public static async Task<JsonElement> LoginAsync(this HttpClient http, string email, string password) =>
        await (await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password })).JsonAsync(HttpStatusCode.OK);

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient http, HttpMethod method, string url, object body) =>
        http.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });

    // For bodies a serializer would never produce: malformed JSON, wrong types, huge payloads.
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient http, HttpMethod method, string url, string body, string mediaType = "application/json") =>
        http.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, mediaType) });

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    // Every API error is problem details with a status and a detail a person can act on.
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"No detail in {text}");
        return problem;
    }

    // The per-field messages of a validation problem.
    public static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        return problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }

    public static async Task<long> StartConversationAsync(this ApiUser user, string? title, params long[] participantIds)
    {
        var response = await user.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds, title });
        var json = await response.JsonAsync(response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Created);
        return json.GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> SendAsync(this ApiUser user, long conversationId, string body) =>
        await (await user.Http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { body }))
            .JsonAsync(HttpStatusCode.Created);

    public static IReadOnlyList<string?> Bodies(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("body").GetString()).ToList();
}
