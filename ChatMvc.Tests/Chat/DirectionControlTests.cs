using System.Net;
using System.Net.Http.Json;
using AngleSharp.Dom;
using ChatMvc.Data;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// Characters that change the direction of text (a right-to-left override turns "exe.gnp" into "png.exe", and
// the rest of the sentence with it) are refused in names and titles, and names and titles are rendered isolated
// from the sentences around them.
public abstract class DirectionControlTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static readonly string[] Controls =
        ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];

    [Fact]
    public async Task The_api_refuses_every_direction_control_in_a_display_name_and_keeps_the_old_name()
    {
        using var ann = await app.NewApiUserAsync("Ann Steady");

        foreach (var control in Controls)
        {
            var response = await ann.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = $"Ann{control}gnp.exe" });

            var errors = await response.ValidationErrorsAsync();
            Assert.Contains("change the direction of the text", Assert.Single(errors["displayName"]));
        }

        var me = await (await ann.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ann Steady", me.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task The_api_refuses_a_direction_control_when_registering_and_creates_no_account()
    {
        using var http = app.NewApiClient();
        var account = AccountSteps.NewUser();

        var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { account.Email, account.Password, displayName = "\u202EEve" });

        Assert.Contains("change the direction of the text", Assert.Single((await response.ValidationErrorsAsync())["displayName"]));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE normalized_email = @email", new { email = account.Email.ToUpperInvariant() }));
    }

    [Fact]
    public async Task The_api_refuses_a_direction_control_in_a_group_title_and_creates_no_group()
    {
        using var ann = await app.NewApiUserAsync("Ann Titler");
        using var bo = await app.NewApiUserAsync("Bo Titled");

        var response = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { bo.Id }, title = "Plans\u2067 for Friday" });

        Assert.Contains("change the direction of the text", Assert.Single((await response.ValidationErrorsAsync())["title"]));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM conversations WHERE created_by = @Id", new { ann.Id }));
    }

    [Fact]
    public async Task The_forms_refuse_a_direction_control_in_a_name_or_a_title_with_a_message_and_store_nothing()
    {
        using var ann = await app.NewPersonAsync("Ann Former");
        using var bo = await app.NewPersonAsync("Bo Former");
        using var cy = await app.NewPersonAsync("Cy Former");
        var id = await ann.StartConversationAsync("Form group", bo);

        var profile = await ann.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Ann\u202EFormer" });
        var started = await ann.Client.SubmitAsync(
            await ann.Client.GetAsync($"/conversations/new?selected={bo.Id}&selected={cy.Id}"),
            new Dictionary<string, string> { ["title"] = "New\u200F group" },
            "form.new-conversation");
        var renamed = await ann.SubmitOnAsync($"/conversations/{id}/members", "form[action$='/title']", new() { ["title"] = "Renamed\u202D" });
        var registered = await new WebSession(app).RegisterAsync(AccountSteps.NewUser("\u2066Dee"));

        Assert.Equal(HttpStatusCode.BadRequest, profile.Status);
        Assert.Contains("change the direction of the text", profile.Document.QuerySelector("#display-name-error")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, started.Status);
        Assert.Contains("change the direction of the text", started.Document.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, renamed.Status);
        Assert.Contains("change the direction of the text", renamed.Document.QuerySelector("#title-error")!.TextContent);
        Assert.False(registered.IsSignedIn());
        Assert.Contains("change the direction of the text", registered.Document.QuerySelector("#display-name-error")!.TextContent);

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM users WHERE id = @Id AND display_name = 'Ann Former'", new { ann.Id }));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM conversations WHERE created_by = @Id", new { ann.Id }));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM conversations WHERE id = @id AND title = 'Form group'", new { id }));
    }

    [Fact]
    public async Task Names_and_titles_are_isolated_from_the_sentences_around_them()
    {
        using var ann = await app.NewPersonAsync("Ann Isolated");
        using var bo = await app.NewPersonAsync("Bo Isolated");
        var id = await ann.StartConversationAsync("Isolated group", bo);
        await ann.SendAsync(id, "Hello");

        var window = await bo.OpenAsync(id);
        var members = await bo.Client.GetAsync($"/conversations/{id}/members");
        var row = (await bo.Client.GetAsync("/conversations")).Document.QuerySelector($"#conversation-{id}")!;

        Assert.Equal("Isolated group", Isolated(window.Document.QuerySelector("main h1")!));
        Assert.Equal(["Ann Isolated", "Bo Isolated"], window.Document.QuerySelectorAll(".chat-members bdi").Select(b => b.TextContent).Order());
        Assert.Equal("Ann Isolated", Isolated(window.Document.QuerySelector("article.message .message-sender")!));
        Assert.Equal("Isolated group", Isolated(members.Document.QuerySelector("main h1")!));
        Assert.Equal(["Ann Isolated", "Bo Isolated"], members.Document.QuerySelectorAll(".member-list li > a").Select(Isolated).Order());
        Assert.Equal("Isolated group", Isolated(row.QuerySelector(".conversation-link")!));
        Assert.Equal("Ann Isolated", Isolated(row.QuerySelector(".preview-sender")!));
        Assert.Equal("Hello", Isolated(row.QuerySelector(".conversation-preview")!.Children.Single(c => c.TextContent.Contains("Hello", StringComparison.Ordinal))));
    }

    // A name stored before the rule existed cannot reorder the page around it either.
    [Fact]
    public async Task A_name_stored_with_an_override_before_the_rule_stays_inside_its_isolate()
    {
        using var ann = await app.NewPersonAsync("Ann Before");
        using var bo = await app.NewPersonAsync("Bo Before");
        var id = await ann.StartConversationAsync("Before group", bo);
        const string stored = "Ann \u202Eexe.gnp";
        await using (var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE users SET display_name = @stored WHERE id = @Id", new { stored, ann.Id });
        }

        var members = await bo.Client.GetAsync($"/conversations/{id}/members");

        Assert.Equal(stored, Isolated(members.Document.QuerySelector($"#member-{ann.Id} > a")!));
    }

    // The text of the one <bdi> (or element with dir="auto") in element, which must hold exactly that text.
    private static string Isolated(IElement element)
    {
        var isolate = element.LocalName == "bdi" ? element
            : Assert.Single(element.QuerySelectorAll("bdi, [dir=auto]"));
        return isolate.TextContent;
    }

    private async Task<long> CountAsync(string sql, object parameters)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }
}

public sealed class DirectionControlTestsOnSqlite(SqliteApp app) : DirectionControlTests<SqliteApp>(app);

public sealed class DirectionControlTestsOnMariaDb(MariaDbApp app) : DirectionControlTests<MariaDbApp>(app);
