using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace ChatMvc.Tests.Security;

public sealed class TmpProbe(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Probe()
    {
        var dev = app.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var who = await Caller.RegisterAsync((ChatAppFactory)app, "Probe");
        using var client = dev.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var output = new System.Text.StringBuilder();
        foreach (var (method, url) in new[] { ("POST", "/Identity/Account/Manage/DeletePersonalData"), ("GET", "/Identity/Account/ConfirmEmail"), ("GET", "/Identity/Account/LoginWith2fa"), ("GET", "/error") })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method == "POST") request.Content = who.Form([]);
            var response = await client.SendAsync(who.Sign(request, false));
            var text = await response.Content.ReadAsStringAsync();
            output.AppendLine($"{method} {url} {(int)response.StatusCode}");
            output.AppendLine(text.Length > 3000 ? text[..3000] : text);
        }
        File.WriteAllText("/tmp/probe.txt", output.ToString());
    }
}
