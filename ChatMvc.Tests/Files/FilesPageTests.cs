using System.Net;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Files;

public abstract class FilesPageTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : FilesApp
{
    [Fact]
    public async Task A_pdf_sent_from_the_composer_without_javascript_shows_as_a_card_that_downloads_it()
    {
        using var ann = await app.NewPersonAsync("Ann Page Files");
        using var bo = await app.NewPersonAsync("Bo Page Files");
        var id = await ann.StartConversationAsync(null, bo);
        var pdf = FileSteps.Pdf();

        await ann.SendFileFromComposerAsync(id, new Upload("Budget 2026.pdf", "application/pdf", pdf), body: "The budget");
        var window = await bo.OpenAsync(id);

        var message = window.Document.QuerySelectorAll("#messages article.message").Last();
        Assert.Contains("sent a file and wrote", message.TextContent);
        Assert.Contains("The budget", message.QuerySelector(".message-body")!.TextContent);
        var card = message.QuerySelector(".file-card")!;
        var link = card.QuerySelector("a[download]")!;
        Assert.Equal("Budget 2026.pdf", link.TextContent.Trim());
        Assert.Contains("application/pdf", card.TextContent);
        Assert.Contains("68.4 KB", card.TextContent);
        Assert.Null(message.QuerySelector("video"));
        var download = await bo.Client.Http.GetAsync(link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task A_video_from_the_composer_plays_in_the_log_with_its_poster_and_length_in_words()
    {
        using var ann = await app.NewPersonAsync("Ann Page Films");
        using var bo = await app.NewPersonAsync("Bo Page Films");
        var id = await ann.StartConversationAsync(null, bo);
        var video = await FileSteps.Mp4Async(320, 240, 2);

        await ann.SendFileFromComposerAsync(id, new Upload("holiday.mp4", "video/mp4", video));
        var window = await bo.OpenAsync(id);

        var message = window.Document.QuerySelectorAll("#messages article.message").Last();
        Assert.Contains("sent a video", message.TextContent);
        Assert.Null(message.QuerySelector(".message-body"));
        var player = message.QuerySelector("video")!;
        Assert.True(player.HasAttribute("controls"));
        Assert.Equal("metadata", player.GetAttribute("preload"));
        Assert.Equal("320", player.GetAttribute("width"));
        Assert.Equal("240", player.GetAttribute("height"));
        Assert.Contains("0:02", message.QuerySelector(".file-card")!.TextContent);
        var poster = await bo.Client.Http.GetAsync(player.GetAttribute("poster"));
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
        var played = await bo.Client.Http.GetAsync(player.GetAttribute("src"));
        Assert.Equal("video/mp4", played.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", played.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Theory]
    [InlineData("empty.pdf", 0, "empty")]
    [InlineData("name-too-long", 100, "at most 255")]
    [InlineData("bad\u0001name.pdf", 100, "The file's name")]
    public async Task A_bad_file_from_the_composer_shows_its_reason_and_sends_nothing(string name, int size, string reason)
    {
        using var ann = await app.NewPersonAsync("Ann Page Mistakes");
        using var bo = await app.NewPersonAsync("Bo Page Mistakes");
        var id = await ann.StartConversationAsync(null, bo);
        var fileName = name == "name-too-long" ? new string('n', 996) + ".pdf" : name;

        var page = await ann.SendFileFromComposerAsync(id, new Upload(fileName, "application/pdf", new byte[size]), body: "Kept text");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(reason, page.Document.QuerySelector("#composer #composer-error")!.TextContent);
        Assert.Equal("Kept text", page.Document.QuerySelector("#message-body")!.TextContent);
        Assert.Equal(0, await app.CountMessagesAsync(id));
        Assert.Equal(0, await app.CountFilesAsync(id));
    }

    [Fact]
    public async Task A_file_over_the_limit_from_the_composer_is_a_413()
    {
        using var ann = await app.NewPersonAsync("Ann Page Huge");
        using var bo = await app.NewPersonAsync("Bo Page Huge");
        var id = await ann.StartConversationAsync(null, bo);

        var page = await ann.SendFileFromComposerAsync(id, new Upload("huge.bin", "application/octet-stream", new byte[(FilesApp.MaxFileMegabytes * 1024 * 1024) + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, page.Status);
        Assert.Equal(0, await app.CountFilesAsync(id));
        Assert.Empty(app.TemporaryFiles());
    }
}

public sealed class FilesPageTestsOnSqlite(SqliteFilesApp app) : FilesPageTests<SqliteFilesApp>(app);

public sealed class FilesPageTestsOnMariaDb(MariaDbFilesApp app) : FilesPageTests<MariaDbFilesApp>(app);
