using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Api;

public abstract class AuthApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Registering_answers_201_with_the_new_account()
    {
        using var http = app.NewApiClient();
        var account = AccountSteps.NewUser("Reg Ann");

        var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { account.Email, account.Password, displayName = "  Reg Ann  " });

        var me = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Reg Ann", me.GetProperty("displayName").GetString());
        Assert.Equal(account.Email, me.GetProperty("email").GetString());
        Assert.Equal($"/api/v1/users/{me.GetProperty("id").GetInt64()}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Registering_an_email_that_already_has_an_account_is_a_409()
    {
        using var http = app.NewApiClient();
        var account = AccountSteps.NewUser("Twice");
        await (await http.PostAsJsonAsync("/api/v1/auth/register", new { account.Email, account.Password, account.DisplayName }))
            .JsonAsync(HttpStatusCode.Created);

        var again = await http.PostAsJsonAsync("/api/v1/auth/register", new { email = account.Email.ToUpperInvariant(), account.Password, account.DisplayName });

        var problem = await again.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already exists", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Registering_with_bad_fields_names_each_field()
    {
        using var http = app.NewApiClient();

        var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { email = "", password = "x", displayName = " " });

        var errors = await response.ValidationErrorsAsync();
        Assert.Equal(["displayName", "email"], errors.Keys.Order());
        Assert.Contains(errors["displayName"], m => m.Contains("1 to 100 characters"));
    }

    [Fact]
    public async Task A_password_that_breaks_the_rules_is_explained_on_the_password_field()
    {
        using var http = app.NewApiClient();

        var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { email = $"{Guid.NewGuid():N}@example.test", password = "abc", displayName = "Weak" });

        var errors = await response.ValidationErrorsAsync();
        Assert.Equal(["password"], errors.Keys);
        Assert.Contains(errors["password"], m => m.Contains("at least 6 characters"));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_that_says_the_body_is_not_json()
    {
        using var http = app.NewApiClient();

        var response = await http.SendRawAsync(HttpMethod.Post, "/api/v1/auth/register", "{\"email\": \"a@example.test\", ");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("The request body is not valid JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_named_with_the_type_it_needs()
    {
        using var http = app.NewApiClient();

        var response = await http.SendRawAsync(HttpMethod.Post, "/api/v1/auth/register", """{"email": 42, "password": "Correct-horse-42", "displayName": "Typed"}""");

        var errors = await response.ValidationErrorsAsync();
        Assert.Equal(["email must be a string."], errors["email"]);
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_refused()
    {
        using var http = app.NewApiClient();

        var response = await http.SendRawAsync(HttpMethod.Post, "/api/v1/auth/login", "[1, 2]");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The request body must be a JSON object.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_empty_body_is_a_400()
    {
        using var http = app.NewApiClient();

        var response = await http.SendRawAsync(HttpMethod.Post, "/api/v1/auth/login", string.Empty);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("empty", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_oversize_body_is_a_413()
    {
        using var http = app.NewApiClient();
        var huge = new string('x', 100_000);

        var response = await http.SendRawAsync(
            HttpMethod.Post, "/api/v1/auth/register", $$"""{"email": "big@example.test", "password": "{{huge}}", "displayName": "Big"}""");

        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("65536 bytes", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        using var http = app.NewApiClient();

        var response = await http.SendRawAsync(HttpMethod.Post, "/api/v1/auth/login", "email=a&password=b", "application/x-www-form-urlencoded");

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Signing_in_returns_a_bearer_token_pair_that_opens_the_api()
    {
        using var user = await app.NewApiUserAsync("Token Ann");
        using var http = app.NewApiClient();

        var tokens = await http.LoginAsync(user.Account.Email, user.Account.Password);

        Assert.Equal("Bearer", tokens.GetProperty("tokenType").GetString());
        Assert.True(tokens.GetProperty("expiresIn").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refreshToken").GetString()));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        var me = await (await http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(user.Id, me.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Signing_in_with_a_wrong_password_is_a_401()
    {
        using var user = await app.NewApiUserAsync("Wrong Pw");
        using var http = app.NewApiClient();

        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { user.Account.Email, password = "not-the-password" });

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.StartsWith("The email or password is incorrect", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Signing_in_without_a_password_names_the_field()
    {
        using var http = app.NewApiClient();

        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "someone@example.test" });

        Assert.Equal(["password"], (await response.ValidationErrorsAsync()).Keys);
    }

    [Fact]
    public async Task A_refresh_token_gives_a_new_pair_that_works()
    {
        using var user = await app.NewApiUserAsync("Refresher");
        using var http = app.NewApiClient();

        var tokens = await (await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.NotEqual(user.RefreshToken, tokens.GetProperty("refreshToken").GetString());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/users/me")).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_the_new_one_it_answers_works_next()
    {
        using var user = await app.NewApiUserAsync("Rotator");
        using var http = app.NewApiClient();

        var second = await (await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken })).JsonAsync(HttpStatusCode.OK);
        var secondRefresh = second.GetProperty("refreshToken").GetString();
        var third = await (await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = secondRefresh })).JsonAsync(HttpStatusCode.OK);

        Assert.NotEqual(secondRefresh, third.GetProperty("refreshToken").GetString());
        var again = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = secondRefresh });
        Assert.Contains("already used", (await again.ProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Presenting_a_used_refresh_token_again_revokes_every_refresh_token_of_its_sign_in()
    {
        using var user = await app.NewApiUserAsync("Stolen Token");
        using var thief = app.NewApiClient();
        using var owner = app.NewApiClient();
        var thiefs = await (await thief.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken })).JsonAsync(HttpStatusCode.OK);
        var otherSignIn = await owner.LoginAsync(user.Account.Email, user.Account.Password);

        var reuse = await owner.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });

        await reuse.ProblemAsync(HttpStatusCode.Unauthorized);
        var thiefsNext = await thief.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = thiefs.GetProperty("refreshToken").GetString() });
        await thiefsNext.ProblemAsync(HttpStatusCode.Unauthorized);
        var unrelated = await owner.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = otherSignIn.GetProperty("refreshToken").GetString() });
        await unrelated.JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_a_hash_of_each_refresh_token_is_stored()
    {
        using var user = await app.NewApiUserAsync("Hashed Token");

        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        var stored = (await connection.QueryAsync<string>(
            "SELECT token_hash FROM api_refresh_tokens WHERE user_id = @Id", new { user.Id })).ToList();

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user.RefreshToken)));
        Assert.Equal([hash], stored);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM api_refresh_tokens WHERE token_hash = @RefreshToken OR family = @RefreshToken", new { user.RefreshToken }));
    }

    [Fact]
    public async Task A_refresh_token_stops_working_after_a_password_change()
    {
        using var user = await app.NewApiUserAsync("Changer");
        using var web = new WebSession(app);
        await web.SignInAsync(user.Account.Email, user.Account.Password);
        var form = await web.GetAsync("/Identity/Account/Manage/ChangePassword");
        var changed = await web.SubmitAsync(form, new Dictionary<string, string>
        {
            ["Input.OldPassword"] = user.Account.Password,
            ["Input.NewPassword"] = "Another-horse-43",
            ["Input.ConfirmPassword"] = "Another-horse-43",
        }, "form#change-password-form");
        Assert.Contains("Your password has been changed", changed.Document.Body!.TextContent);

        var refresh = await user.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });

        var problem = await refresh.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("password changed", problem.GetProperty("detail").GetString());
        await user.Http.LoginAsync(user.Account.Email, "Another-horse-43");
    }

    [Fact]
    public async Task A_made_up_refresh_token_is_a_401()
    {
        using var http = app.NewApiClient();

        var response = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "not-a-token" });

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refreshing_without_a_token_names_the_field()
    {
        using var http = app.NewApiClient();

        var response = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { });

        Assert.Equal(["refreshToken"], (await response.ValidationErrorsAsync()).Keys);
    }

    [Fact]
    public async Task The_api_without_credentials_is_a_401_problem_not_a_redirect_to_the_sign_in_page()
    {
        using var http = app.NewApiClient();

        var response = await http.GetAsync("/api/v1/conversations");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString());
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_bearer_token_that_was_not_issued_here_is_a_401()
    {
        using var http = app.NewApiClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged");

        await (await http.GetAsync("/api/v1/users/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_api_path_and_a_wrong_method_are_problems_too()
    {
        using var user = await app.NewApiUserAsync("Lost");

        await (await user.Http.GetAsync("/api/v1/nothing-here")).ProblemAsync(HttpStatusCode.NotFound);
        await (await user.Http.DeleteAsync("/api/v1/users")).ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }
}

public sealed class AuthApiTestsOnSqlite(SqliteApp app) : AuthApiTests<SqliteApp>(app);

public sealed class AuthApiTestsOnMariaDb(MariaDbApp app) : AuthApiTests<MariaDbApp>(app);
