using System.Net;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Security;

// The README's `dotnet run` runs in Development, where the developer exception page would show anyone who makes a
// request fail the request's headers and cookies. The error page and problem details show neither, there too.
public sealed class ErrorPageTests(ErrorPageTests.DevelopmentApp app) : IClassFixture<ErrorPageTests.DevelopmentApp>
{
    private const string SecretCookie = "cookie-value-4f1c9a";
    private const string SecretHeader = "header-value-8d27e0";

    [Theory]
    [InlineData("/test/fail", "text/html")]
    [InlineData("/test/fail", "application/json")]
    [InlineData("/test/fail", "*/*")]
    [InlineData("/api/v1/test/fail", "application/json")]
    [InlineData("/api/v1/test/fail", "text/html")]
    public async Task A_failure_in_development_shows_no_request_headers_or_cookies(string path, string accept)
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"ChatMvc.Auth={SecretCookie}");
        request.Headers.Add("X-Probe", SecretHeader);
        request.Headers.Add("Accept", accept);

        var response = await http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(SecretCookie, body);
        Assert.DoesNotContain(SecretHeader, body);
        Assert.DoesNotContain("X-Probe", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("A failure for the error page", body);
    }

    public sealed class DevelopmentApp : ChatAppFactory
    {
        public DevelopmentApp()
            : base(Engine.Sqlite)
        {
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Development");
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingAddresses>());
        }

        // Only an unhandled exception reaches the error handling, so the app gets addresses that throw one, after its
        // own pipeline (inside its exception handlers): one for a page and one under the API.
        private sealed class FailingAddresses : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Map("/test/fail", failing => failing.Run(_ => throw new InvalidOperationException("A failure for the error page.")));
                app.Map("/api/v1/test/fail", failing => failing.Run(_ => throw new InvalidOperationException("A failure for the error page.")));
            };
        }
    }
}
