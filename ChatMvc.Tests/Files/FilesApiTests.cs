using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatMvc.Files;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Files;

public abstract class FilesApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : FilesApp
{
    [Fact]
    public async Task A_pdf_comes_back_byte_for_byte_to_members_as_a_download_with_its_name()
    {
        using var ann = await app.NewApiUserAsync("Ann Documents");
        using var bo = await app.NewApiUserAsync("Bo Documents");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var pdf = FileSteps.Pdf();

        var sent = await (await ann.SendFileAsync(id, FileSteps.FileForm(pdf, "Minutes é 2026.pdf", body: "The minutes"))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("The minutes", sent.GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("image").ValueKind);
        var attachment = sent.GetProperty("attachment");
        Assert.Equal("file", attachment.GetProperty("kind").GetString());
        Assert.Equal("Minutes é 2026.pdf", attachment.GetProperty("name").GetString());
        Assert.Equal("application/pdf", attachment.GetProperty("contentType").GetString());
        Assert.Equal(pdf.Length, attachment.GetProperty("size").GetInt64());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("length").ValueKind);
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("posterUrl").ValueKind);
        var download = await bo.Http.GetAsync(attachment.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Minutes é 2026.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(download.Headers.CacheControl is { Private: true, MaxAge.TotalDays: >= 365 }, $"Cache-Control: {download.Headers.CacheControl}");
        Assert.Equal("bytes", download.Headers.AcceptRanges.Single());
        var listed = (await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(attachment.ToString(), listed.GetProperty("attachment").ToString());
    }

    [Fact]
    public async Task Anything_a_browser_could_run_is_served_as_an_attachment_never_inline()
    {
        using var ann = await app.NewApiUserAsync("Ann Scripts");
        using var bo = await app.NewApiUserAsync("Bo Scripts");
        var id = await ann.StartConversationAsync(null, bo.Id);

        foreach (var (name, type, text) in new[]
        {
            ("page.html", "text/html", "<script>alert(1)</script>"),
            ("drawing.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
            ("app.js", "text/javascript", "alert(1)"),
            ("fake.mp4", "video/mp4", "<html><script>alert(1)</script></html>"),
        })
        {
            var sent = await (await ann.SendFileAsync(id, FileSteps.FileForm(Encoding.UTF8.GetBytes(text), name, type))).JsonAsync(HttpStatusCode.Created);
            var attachment = sent.GetProperty("attachment");
            var served = await bo.Http.GetAsync(attachment.GetProperty("url").GetString());

            Assert.Equal("file", attachment.GetProperty("kind").GetString());
            Assert.Equal("attachment", served.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal(name, served.Content.Headers.ContentDisposition?.FileNameStar);
            Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task A_two_second_mp4_gets_its_width_height_length_and_a_poster()
    {
        using var ann = await app.NewApiUserAsync("Ann Films");
        using var bo = await app.NewApiUserAsync("Bo Films");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var video = await FileSteps.Mp4Async(320, 240, 2);

        var sent = await (await ann.SendFileAsync(id, FileSteps.FileForm(video, "clip.mp4", "video/mp4"))).JsonAsync(HttpStatusCode.Created);

        var attachment = sent.GetProperty("attachment");
        Assert.Equal("video", attachment.GetProperty("kind").GetString());
        Assert.Equal("video/mp4", attachment.GetProperty("contentType").GetString());
        Assert.Equal(320, attachment.GetProperty("width").GetInt32());
        Assert.Equal(240, attachment.GetProperty("height").GetInt32());
        Assert.InRange(attachment.GetProperty("length").GetDouble(), 1.9, 2.2);
        var poster = await bo.Http.GetAsync(attachment.GetProperty("posterUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
        var played = await bo.Http.GetAsync(attachment.GetProperty("url").GetString());
        Assert.Equal("inline", played.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(video, await played.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_sound_is_recognised_by_its_bytes_and_gets_its_length()
    {
        using var ann = await app.NewApiUserAsync("Ann Sounds");
        using var bo = await app.NewApiUserAsync("Bo Sounds");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var wav = FileSteps.Wav(2);

        var sent = await (await ann.SendFileAsync(id, FileSteps.FileForm(wav, "tone.bin", "application/octet-stream"))).JsonAsync(HttpStatusCode.Created);

        var attachment = sent.GetProperty("attachment");
        Assert.Equal("audio", attachment.GetProperty("kind").GetString());
        Assert.Equal("audio/wav", attachment.GetProperty("contentType").GetString());
        Assert.InRange(attachment.GetProperty("length").GetDouble(), 1.9, 2.1);
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("posterUrl").ValueKind);
        var played = await bo.Http.GetAsync(attachment.GetProperty("url").GetString());
        Assert.Equal("inline", played.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(wav, await played.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_video_that_cannot_be_read_is_kept_as_a_plain_file()
    {
        using var ann = await app.NewApiUserAsync("Ann Broken");
        using var bo = await app.NewApiUserAsync("Bo Broken");
        var id = await ann.StartConversationAsync(null, bo.Id);
        byte[] broken = [0, 0, 0, 0x18, .. "ftypisom"u8.ToArray(), .. Enumerable.Repeat((byte)0x42, 5000)];

        var sent = await (await ann.SendFileAsync(id, FileSteps.FileForm(broken, "broken.mp4", "video/mp4"))).JsonAsync(HttpStatusCode.Created);

        var attachment = sent.GetProperty("attachment");
        Assert.Equal("file", attachment.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("posterUrl").ValueKind);
        Assert.Equal(broken, await (await bo.Http.GetAsync(attachment.GetProperty("url").GetString())).Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_range_request_answers_206_with_exactly_those_bytes()
    {
        using var ann = await app.NewApiUserAsync("Ann Seeks");
        using var bo = await app.NewApiUserAsync("Bo Seeks");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var pdf = FileSteps.Pdf();
        var url = (await (await ann.SendFileAsync(id, FileSteps.FileForm(pdf, "seek.pdf"))).JsonAsync(HttpStatusCode.Created))
            .GetProperty("attachment").GetProperty("url").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        var part = await bo.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(pdf[1000..2000], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 1000-1999/{pdf.Length}", part.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Non_members_get_404_for_every_file_url_and_cannot_send_one()
    {
        using var ann = await app.NewApiUserAsync("Ann Private Files");
        using var bo = await app.NewApiUserAsync("Bo Private Files");
        using var eve = await app.NewApiUserAsync("Eve Outside");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var elsewhere = await eve.StartConversationAsync(null, bo.Id);
        var video = await FileSteps.Mp4Async(160, 120, 1);
        var attachment = (await (await ann.SendFileAsync(id, FileSteps.FileForm(video, "private.mp4", "video/mp4"))).JsonAsync(HttpStatusCode.Created))
            .GetProperty("attachment");
        var fileId = attachment.GetProperty("id").GetInt64();
        using var eveOnPages = new WebSession(app);
        var evePage = await eveOnPages.RegisterAsync(AccountSteps.NewUser("Eve On Pages"));
        Assert.True(evePage.IsSignedIn());

        await (await eve.Http.GetAsync(attachment.GetProperty("url").GetString())).ProblemAsync(HttpStatusCode.NotFound);
        await (await eve.Http.GetAsync(attachment.GetProperty("posterUrl").GetString())).ProblemAsync(HttpStatusCode.NotFound);
        // The file's id under a conversation Eve is in does not reach it either.
        await (await eve.Http.GetAsync(AttachmentJson(elsewhere, fileId))).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await eveOnPages.Http.GetAsync($"/conversations/{id}/files/{fileId}")).StatusCode);
        await (await eve.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "sneaky.pdf"))).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await app.CountFilesAsync(id));
    }

    [Fact]
    public async Task Each_bad_file_is_refused_with_its_reason_and_nothing_is_stored()
    {
        using var ann = await app.NewApiUserAsync("Ann Mistakes");
        using var bo = await app.NewApiUserAsync("Bo Mistakes");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var blobs = app.Blobs().Count;
        var url = $"/api/v1/conversations/{id}/messages/file";

        var empty = await ann.SendFileAsync(id, FileSteps.FileForm([], "empty.pdf"));
        var longName = await ann.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), new string('a', 996) + ".pdf"));
        var control = await ann.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "bell\u0007.pdf"));
        var traversal = await ann.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "../../etc/passwd"));
        var badPartType = await ann.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "typed.pdf", "not a type"));
        var noFile = await ann.SendFileAsync(id, new MultipartFormDataContent { { new StringContent("Just text"), "body" } });
        var json = await ann.Http.PostAsJsonAsync(url, new { body = "No file" });
        var tooLong = await ann.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "fine.pdf", body: new string('x', 5000)));
        var tooLarge = await ann.SendFileAsync(id, FileSteps.FileForm(new byte[(FilesApp.MaxFileMegabytes * 1024 * 1024) + 1], "big.bin", null));

        Assert.Contains("empty", (await empty.ValidationErrorsAsync())["file"].Single());
        Assert.Contains("at most 255", (await longName.ValidationErrorsAsync())["file"].Single());
        Assert.Contains("name", (await control.ValidationErrorsAsync())["file"].Single());
        Assert.Contains("/", (await traversal.ValidationErrorsAsync())["file"].Single());
        Assert.Contains("Content-Type", (await badPartType.ValidationErrorsAsync())["file"].Single());
        Assert.Contains("\"file\"", (await noFile.ValidationErrorsAsync())["file"].Single());
        Assert.Contains("multipart/form-data", (await json.ProblemAsync(HttpStatusCode.UnsupportedMediaType)).GetProperty("detail").GetString());
        Assert.Equal(["body"], (await tooLong.ValidationErrorsAsync()).Keys);
        Assert.Contains($"{FilesApp.MaxFileMegabytes} MB", (await tooLarge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString());
        Assert.Equal(0, await app.CountMessagesAsync(id));
        Assert.Equal(0, await app.CountFilesAsync(id));
        Assert.Empty(app.TemporaryFiles());
        // The refused text's file was stored first and let go: its bytes wait for the sweep, like any unreferenced file.
        await app.Services.GetRequiredService<FileSweep>().RunAsync(TimeSpan.Zero);
        Assert.Equal(blobs, app.Blobs().Count);
    }

    [Fact]
    public async Task A_body_declared_over_the_limit_is_refused_with_413_before_the_rest_of_it_is_sent()
    {
        using var ann = await app.NewApiUserAsync("Ann Declares");
        using var bo = await app.NewApiUserAsync("Bo Declares");
        var id = await ann.StartConversationAsync(null, bo.Id);

        // The rest of the body is never sent: the answer comes without the server waiting for it.
        var (response, upload) = ann.StartUpload(id, declaredBytes: (FilesApp.MaxFileMegabytes + 1) * 1024 * 1024, sentBytes: 1024);
        using (upload)
        {
            var answer = await response.WaitAsync(TimeSpan.FromSeconds(20));
            await answer.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
            upload.Drop();
        }

        Assert.Equal(0, await app.CountFilesAsync(id));
        Assert.Empty(app.TemporaryFiles());
    }

    [Fact]
    public async Task An_upload_dropped_half_way_stores_nothing_and_leaves_no_temporary_file()
    {
        using var ann = await app.NewApiUserAsync("Ann Drops");
        using var bo = await app.NewApiUserAsync("Bo Drops");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var blobs = app.Blobs().Count;

        var (response, upload) = ann.StartUpload(id, declaredBytes: 1024 * 1024, sentBytes: 400 * 1024);
        using (upload)
        {
            await FileSteps.EventuallyAsync(() => Task.FromResult(app.TemporaryFiles().Count == 1), "the upload is being written");
            upload.Drop();
            await Assert.ThrowsAnyAsync<Exception>(() => response);
        }

        await FileSteps.EventuallyAsync(() => Task.FromResult(app.TemporaryFiles().Count == 0), "the temporary file is gone");
        Assert.Equal(0, await app.CountMessagesAsync(id));
        Assert.Equal(0, await app.CountFilesAsync(id));
        Assert.Equal(blobs, app.Blobs().Count);
    }

    [Fact]
    public async Task A_person_with_two_uploads_in_progress_is_asked_to_wait_for_the_third()
    {
        using var ann = await app.NewApiUserAsync("Ann Busy");
        using var bo = await app.NewApiUserAsync("Bo Busy");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var (firstResponse, first) = ann.StartUpload(id, declaredBytes: 100 * 1024, sentBytes: 1024);
        var (secondResponse, second) = ann.StartUpload(id, declaredBytes: 100 * 1024, sentBytes: 1024);
        using (first)
        using (second)
        {
            await FileSteps.EventuallyAsync(() => Task.FromResult(app.TemporaryFiles().Count == 2), "both uploads are in progress");

            var third = await ann.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "third.pdf"));
            var others = await bo.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "others.pdf"));

            Assert.Contains("in progress", (await third.ProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("detail").GetString());
            Assert.NotNull(third.Headers.RetryAfter);
            await others.JsonAsync(HttpStatusCode.Created);
            first.Release();
            second.Release();
            await (await firstResponse).JsonAsync(HttpStatusCode.Created);
            await (await secondResponse).JsonAsync(HttpStatusCode.Created);
        }

        await (await ann.SendFileAsync(id, FileSteps.FileForm(FileSteps.Pdf(), "later.pdf"))).JsonAsync(HttpStatusCode.Created);
        Assert.Empty(app.TemporaryFiles());
    }

    [Fact]
    public async Task The_same_file_is_kept_once_and_the_sweep_removes_it_only_when_no_message_refers_to_it()
    {
        using var ann = await app.NewApiUserAsync("Ann Sweeps");
        using var bo = await app.NewApiUserAsync("Bo Sweeps");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var unique = Encoding.UTF8.GetBytes($"%PDF-1.4 sweep {Guid.NewGuid()}");
        var sweep = app.Services.GetRequiredService<FileSweep>();
        var before = app.Blobs().Count;

        var first = await (await ann.SendFileAsync(id, FileSteps.FileForm(unique, "one.pdf"))).JsonAsync(HttpStatusCode.Created);
        var second = await (await bo.SendFileAsync(id, FileSteps.FileForm(unique, "two.pdf"))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(before + 1, app.Blobs().Count);

        await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{first.GetProperty("id").GetInt64()}");
        await (await bo.Http.GetAsync(first.GetProperty("attachment").GetProperty("url").GetString())).ProblemAsync(HttpStatusCode.NotFound);
        await sweep.RunAsync(TimeSpan.Zero);
        Assert.Equal(before + 1, app.Blobs().Count);
        Assert.Equal(unique, await (await bo.Http.GetAsync(second.GetProperty("attachment").GetProperty("url").GetString())).Content.ReadAsByteArrayAsync());

        await bo.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{second.GetProperty("id").GetInt64()}");
        await sweep.RunAsync(TimeSpan.Zero);
        Assert.Equal(before, app.Blobs().Count);
        Assert.Equal(0, await app.CountFilesAsync(id));
    }

    [Fact]
    public async Task The_sweep_removes_a_photo_and_a_file_whose_message_was_never_stored()
    {
        using var ann = await app.NewApiUserAsync("Ann Orphans");
        using var bo = await app.NewApiUserAsync("Bo Orphans");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var sweep = app.Services.GetRequiredService<FileSweep>();
        var before = app.Blobs().Count;
        // As if the process had stopped between storing each and storing its message.
        var photo = await app.Services.GetRequiredService<ChatMvc.Images.ImageService>().StoreMessageImageAsync(
            id, ann.Id, new MemoryStream(ChatMvc.Tests.Images.TestImages.Encode(64, 48, ChatMvc.Images.ImageFormat.Png)));
        var file = await app.Services.GetRequiredService<FileUploads>().StoreAsync(
            id, ann.Id, new MemoryStream(Encoding.UTF8.GetBytes($"orphan {Guid.NewGuid()}")), "orphan.txt", "text/plain", default);
        Assert.True(photo.Succeeded);
        Assert.Equal(before + 1, app.Blobs().Count);

        await sweep.RunAsync(FileSweep.Grace);
        Assert.Equal(1, await app.CountImagesAsync(id));
        Assert.Equal(1, await app.CountFilesAsync(id));

        await sweep.RunAsync(TimeSpan.Zero);
        Assert.Equal(0, await app.CountImagesAsync(id));
        Assert.Equal(0, await app.CountFilesAsync(id));
        Assert.Equal(before, app.Blobs().Count);
        Assert.NotNull(file.File);
    }

    [Fact]
    public async Task A_photo_carries_the_same_attachment_shape()
    {
        using var ann = await app.NewApiUserAsync("Ann Shapes");
        using var bo = await app.NewApiUserAsync("Bo Shapes");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var form = new MultipartFormDataContent();
        var png = new ByteArrayContent(ChatMvc.Tests.Images.TestImages.Encode(800, 600, ChatMvc.Images.ImageFormat.Png));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(png, "file", "photo.png");

        var sent = await (await ann.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", form)).JsonAsync(HttpStatusCode.Created);

        var attachment = sent.GetProperty("attachment");
        Assert.Equal("image", attachment.GetProperty("kind").GetString());
        Assert.Equal("image/jpeg", attachment.GetProperty("contentType").GetString());
        Assert.Equal(sent.GetProperty("image").GetProperty("url").GetString(), attachment.GetProperty("url").GetString());
        Assert.Equal(800, attachment.GetProperty("width").GetInt32());
        Assert.Equal(600, attachment.GetProperty("height").GetInt32());
        Assert.True(attachment.GetProperty("size").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.OK, (await bo.Http.GetAsync(attachment.GetProperty("url").GetString())).StatusCode);
    }

    private static string AttachmentJson(long conversationId, long fileId) => ChatMvc.Api.AttachmentJson.FileUrl(conversationId, fileId);
}

public sealed class FilesApiTestsOnSqlite(SqliteFilesApp app) : FilesApiTests<SqliteFilesApp>(app);

public sealed class FilesApiTestsOnMariaDb(MariaDbFilesApp app) : FilesApiTests<MariaDbFilesApp>(app);
