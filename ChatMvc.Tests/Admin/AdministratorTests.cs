using System.Net;
using System.Net.Http.Json;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Admin;

public abstract class AdministratorTests<TApp>
    where TApp : ChatAppFactory, new()
{
    [Fact]
    public async Task The_first_account_is_an_administrator_and_the_next_is_not()
    {
        await using var fresh = new TApp();
        using var first = await fresh.NewApiUserAsync("First Fay");
        using var second = await fresh.NewApiUserAsync("Second Sid");

        Assert.True((await (await first.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("isAdmin").GetBoolean());
        Assert.False((await (await second.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("isAdmin").GetBoolean());
    }

    [Fact]
    public async Task The_first_account_registered_on_the_page_is_an_administrator_from_its_first_request()
    {
        await using var fresh = new TApp();
        using var browser = new WebSession(fresh);
        Assert.True((await browser.RegisterAsync(AccountSteps.NewUser("Page Pat"))).IsSignedIn());

        var me = await (await browser.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
    }
}

public sealed class AdministratorTestsOnSqlite : AdministratorTests<SqliteApp>;

public sealed class AdministratorTestsOnMariaDb : AdministratorTests<MariaDbApp>;
