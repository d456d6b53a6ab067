using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatMvc.Cli;

// An answer from the API: its JSON as sent (for --json) and read into T.
public sealed record Answer<T>(T Value, string Json);

// The public JSON API under /api/v1, with the signed-in person's bearer token. An access token that has expired is
// renewed with the refresh token, which the API rotates: the next one is stored at once.
public sealed class ChatApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient http;
    private readonly SessionStore store;
    private Session? session;

    public ChatApi(Uri server, SessionStore store, TimeSpan? timeout = null)
    {
        Server = server;
        this.store = store;
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = server,
            Timeout = timeout ?? TimeSpan.FromSeconds(100),
        };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("chat-cli", "1.0"));
    }

    public Uri Server { get; }

    public Session Session => session ??= LoadSession();

    public static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority) + server.AbsolutePath.TrimEnd('/');

    public void Dispose() => http.Dispose();

    // Signs in and keeps the session. The API's own refusal (wrong password, locked, two-factor) is exit code 3.
    public async Task<Answer<Me>> LoginAsync(string email, string password, string? twoFactorCode, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(
            () => new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/login")
            {
                Content = JsonContent.Create(new { email, password, twoFactorCode }, options: Json),
            },
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ChatException(ExitCodes.SignInRefused, await DetailAsync(response, cancellationToken));
        }

        var tokens = await ReadAsync<TokenAnswer>(response, cancellationToken);
        session = new Session(Key(Server), 0, email, tokens.Value.AccessToken, ExpiryOf(tokens.Value), tokens.Value.RefreshToken);
        var me = await GetAsync<Me>("api/v1/users/me", cancellationToken);
        session = session with { UserId = me.Value.Id };
        store.Save(session);
        return me;
    }

    public Task<Answer<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<Answer<T>> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);

    public async Task<Answer<T>> PostAnonymousAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(
            () => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAuthorizedAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task<Answer<T>> SendAsync<T>(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var response = await SendAuthorizedAsync(request, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAuthorizedAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        if (Session.AccessTokenExpiresAt <= DateTimeOffset.UtcNow.AddSeconds(30))
        {
            await RefreshAsync(Session.AccessToken, cancellationToken);
        }

        var used = Session.AccessToken;
        var response = await SendRawAsync(() => WithToken(request(), used), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Expired early, or ended on the server: one refresh, then the same request once more.
        response.Dispose();
        await RefreshAsync(used, cancellationToken);
        response = await SendRawAsync(() => WithToken(request(), Session.AccessToken), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw SessionEnded();
        }

        return response;
    }

    private async Task RefreshAsync(string staleAccessToken, CancellationToken cancellationToken)
    {
        using var held = await store.LockAsync(cancellationToken);

        // Another command may have refreshed while this one waited: its tokens are the current ones.
        if (store.Load() is { } stored && stored.Server == Key(Server) && stored.AccessToken != staleAccessToken)
        {
            session = stored;
            return;
        }

        using var response = await SendRawAsync(
            () => new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/refresh")
            {
                Content = JsonContent.Create(new { refreshToken = Session.RefreshToken }, options: Json),
            },
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw SessionEnded();
        }

        var tokens = await ReadAsync<TokenAnswer>(response, cancellationToken);
        session = Session with
        {
            AccessToken = tokens.Value.AccessToken,
            AccessTokenExpiresAt = ExpiryOf(tokens.Value),
            RefreshToken = tokens.Value.RefreshToken,
        };
        store.Save(session);
    }

    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var message = request();
        try
        {
            return await http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {http.Timeout.TotalSeconds:0} seconds");
        }
    }

    private ChatException Unreachable(string why) => new(
        ExitCodes.Unreachable,
        $"Cannot reach the chat server at {Server}: {why}. Check the address (--server or CHAT_SERVER), that the server is running, and your network.");

    private ChatException SessionEnded() => new(
        ExitCodes.NotSignedIn,
        $"Your session on {Server} has expired or was ended (signed out elsewhere, password changed, or the account locked). "
        + $"Run: chat login --email {Session.Email}");

    private Session LoadSession()
    {
        var stored = store.Load();
        if (stored is null || stored.Server != Key(Server))
        {
            throw new ChatException(
                ExitCodes.NotSignedIn,
                stored is null
                    ? $"You are not signed in. Run: chat login --server {Server} --email YOUR_EMAIL"
                    : $"You are signed in to {stored.Server}, not {Server}. Run: chat login --server {Server} --email YOUR_EMAIL");
        }

        return stored;
    }

    private static HttpRequestMessage WithToken(HttpRequestMessage request, string accessToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    private static DateTimeOffset ExpiryOf(TokenAnswer tokens) => DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresIn);

    private async Task<Answer<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return new Answer<T>(JsonSerializer.Deserialize<T>(text, Json) ?? throw new JsonException("empty"), text);
        }
        catch (JsonException)
        {
            throw new ChatException(
                ExitCodes.ServerError,
                $"The server at {Server} answered {(int)response.StatusCode} with something that is not the chat API's JSON. Check --server.");
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await DetailAsync(response, cancellationToken);
        var code = (int)response.StatusCode switch
        {
            400 or 409 or 415 => ExitCodes.Invalid,
            401 => ExitCodes.NotSignedIn,
            403 => ExitCodes.Forbidden,
            404 or 410 => ExitCodes.NotFound,
            413 => ExitCodes.TooLarge,
            429 => ExitCodes.TooManyRequests,
            _ => ExitCodes.ServerError,
        };
        if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is { } wait)
        {
            detail += $" (Retry-After: {wait.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} seconds)";
        }

        throw new ChatException(code, detail);
    }

    // The problem details' detail, which the API writes for a person to act on.
    private async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in new[] { "detail", "title" })
                {
                    if (problem.RootElement.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 } said)
                    {
                        return said;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not problem details: a proxy's page or another program on that address.
        }

        return $"The server at {Server} answered {(int)response.StatusCode} {response.ReasonPhrase}.";
    }
}
