using System.Net;
using ChatMvc.Chat;
using ChatMvc.Images;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Images;

public abstract class ImageTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static readonly Lazy<byte[]> CameraPhoto = new(() => TestImages.JpegWithGpsAndOrientation6(1600, 1200));

    private static Upload Photo => new("IMG_2041.JPG", "image/jpeg", CameraPhoto.Value);

    [Fact]
    public async Task A_photo_sent_without_javascript_shows_as_a_sized_thumbnail_linked_to_the_display_size()
    {
        using var ann = await app.NewPersonAsync("Ann Camera");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);

        var sent = await ann.SendPhotoAsync(id, Photo, body: "From Friday", alt: "Five of us on the jetty at the lake");

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var window = await bo.OpenAsync(id);
        var article = window.Document.QuerySelector("article.message")!;
        var img = article.QuerySelector(".message-image a img")!;
        var imageId = long.Parse(img.GetAttribute("src")!.Split('/')[2]);
        Assert.Equal($"/images/{imageId}/thumb", img.GetAttribute("src"));
        Assert.Equal(ChatUrls.Photo(id, ChatSteps.MessageIds(window.Document)[0]), img.ParentElement!.GetAttribute("href"));
        // Upright: the camera's 1600×1200 with orientation 6 is 1200×1600 seen, 240×320 as a thumbnail.
        Assert.Equal(("240", "320"), (img.GetAttribute("width"), img.GetAttribute("height")));
        Assert.Equal("Five of us on the jetty at the lake", img.GetAttribute("alt"));
        Assert.Equal(["From Friday"], ChatSteps.MessageTexts(window.Document));
        Assert.Contains("Ann Camera sent a photo and wrote at", Normalize(article.QuerySelector(".message-meta")!.TextContent));
        Assert.Equal(1, await app.CountImagesAsync(id));
        Assert.Equal(2, await app.ScalarAsync(
            "SELECT COUNT(*) FROM image_variants v JOIN images i ON i.id = v.image_id WHERE i.conversation_id = @id", new { id }));
    }

    [Fact]
    public async Task A_photo_without_text_or_description_reads_as_photo_from_its_sender()
    {
        using var ann = await app.NewPersonAsync("Ann Quiet");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);

        await ann.SendPhotoAsync(id, Photo);

        var window = await bo.OpenAsync(id);
        var article = window.Document.QuerySelector("article.message")!;
        Assert.Equal("Photo from Ann Quiet", article.QuerySelector(".message-image img")!.GetAttribute("alt"));
        Assert.Null(article.QuerySelector(".message-body"));
        Assert.Contains("Ann Quiet sent a photo at", Normalize(article.QuerySelector(".message-meta")!.TextContent));
        var list = await bo.Client.GetAsync("/");
        Assert.Contains("Photo", list.Document.QuerySelector($"#conversation-{id} .conversation-preview")!.TextContent);
    }

    [Fact]
    public async Task The_image_url_serves_a_stripped_jpeg_with_etag_long_private_caching_and_nosniff_and_304_when_unchanged()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.SendPhotoAsync(id, Photo);
        var src = window.Document.QuerySelector(".message-image img")!.GetAttribute("src")!;

        foreach (var url in new[] { src, src.Replace("/thumb", "/display") })
        {
            using var response = await bo.GetImageAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("private, max-age=31536000, immutable", response.Headers.NonValidated["Cache-Control"].ToString());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Empty(TestImages.App1Segments(bytes));
            Assert.False(TestImages.Contains(bytes, "Exif"));
            var etag = response.Headers.ETag!.ToString();
            Assert.Equal(66, etag.Length);

            using var again = await bo.GetImageAsync(url, etag);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Equal(etag, again.Headers.ETag!.ToString());
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
            using var changed = await bo.GetImageAsync(url, "\"0000\"");
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        var display = await (await bo.GetImageAsync(src.Replace("/thumb", "/display"))).Content.ReadAsByteArrayAsync();
        var header = LibVips.ReadHeader(display);
        Assert.Equal((960, 1280), (header.Width, header.Height));
    }

    [Fact]
    public async Task A_non_member_gets_404_for_a_photo_and_so_does_anyone_for_an_unknown_image()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var eve = await app.NewPersonAsync("Eve");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.SendPhotoAsync(id, Photo);
        var src = window.Document.QuerySelector(".message-image img")!.GetAttribute("src")!;

        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetImageAsync(src)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetImageAsync(src.Replace("/thumb", "/display"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.GetImageAsync("/images/987654321/thumb")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.GetImageAsync(src.Replace("/thumb", "/original"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bo.GetImageAsync(src)).StatusCode);
    }

    [Theory]
    [InlineData("truncated", "damaged or incomplete")]
    [InlineData("30000x30000", "more than 50 megapixels")]
    [InlineData("text named .jpg", "not an image")]
    [InlineData("over 15 MB", "larger than 15 MB")]
    public async Task A_refused_upload_says_why_next_to_the_composer_keeps_the_text_and_stores_nothing(string kind, string reason)
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var upload = kind switch
        {
            "truncated" => new Upload("cut.jpg", "image/jpeg", TestImages.Truncated(CameraPhoto.Value)),
            "30000x30000" => new Upload("huge.png", "image/png", TestImages.PngClaiming(30000, 30000)),
            "text named .jpg" => new Upload("holiday.jpg", "image/jpeg", TestImages.NotAnImage),
            _ => new Upload("big.jpg", "image/jpeg", [.. CameraPhoto.Value, .. new byte[15 * 1024 * 1024]]),
        };

        var page = await ann.SendPhotoAsync(id, upload, body: "Look at this", alt: "A heron");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(reason, page.Document.QuerySelector("#composer #composer-error")!.TextContent);
        Assert.Equal("Look at this", page.Document.QuerySelector("#message-body")!.TextContent);
        Assert.Equal("A heron", page.Document.QuerySelector("#message-image-alt")!.GetAttribute("value"));
        Assert.Equal(0, await app.CountMessagesAsync(id));
        Assert.Equal(0, await app.CountImagesAsync(id));
    }

    [Fact]
    public async Task The_format_comes_from_the_bytes_not_the_file_name_or_declared_type()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var webp = TestImages.Encode(640, 480, ImageFormat.Webp);

        await ann.SendPhotoAsync(id, new Upload("notes.txt", "text/plain", webp));

        var img = (await bo.OpenAsync(id)).Document.QuerySelector(".message-image img")!;
        Assert.Equal(("320", "240"), (img.GetAttribute("width"), img.GetAttribute("height")));
    }

    [Fact]
    public async Task Sending_a_photo_with_htmx_answers_the_new_message_like_a_text_send()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var gif = TestImages.AnimatedGif(120, 90, frames: 2);

        var (response, fragment) = await ann.SendPhotoWithHtmxAsync(id, new Upload("wave.gif", "image/gif", gif), body: "Hi");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message-sent", response.Headers.GetValues("HX-Trigger").Single());
        var img = fragment.QuerySelector("article.message .message-image img")!;
        Assert.Equal(("120", "90"), (img.GetAttribute("width"), img.GetAttribute("height")));
        Assert.Equal(["Hi"], ChatSteps.MessageTexts(fragment));
        Assert.NotNull(fragment.QuerySelector("#client-message-id"));
    }

    [Fact]
    public async Task A_refused_photo_with_htmx_answers_only_the_composer_error()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);

        var (_, fragment) = await ann.SendPhotoWithHtmxAsync(id, new Upload("holiday.jpg", "image/jpeg", TestImages.NotAnImage));

        Assert.Contains("not an image", fragment.QuerySelector("#composer-error")!.TextContent);
        Assert.Empty(fragment.QuerySelectorAll("article.message"));
        Assert.Equal(0, await app.CountImagesAsync(id));
    }

    [Fact]
    public async Task The_same_send_retried_stores_one_message_and_one_photo()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var clientId = Guid.NewGuid().ToString("N");

        await ann.SendPhotoAsync(id, Photo, clientMessageId: clientId);
        await ann.SendPhotoAsync(id, Photo, clientMessageId: clientId);

        Assert.Equal(1, await app.CountMessagesAsync(id));
        Assert.Equal(1, await app.CountImagesAsync(id));
    }

    [Fact]
    public async Task The_author_adds_a_description_later_by_editing_and_the_text_may_stay_empty()
    {
        using var ann = await app.NewPersonAsync("Ann Later");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.SendPhotoAsync(id, Photo);
        var messageId = ChatSteps.MessageIds(window.Document).Single();

        var edited = await ann.SubmitOnAsync(
            $"/conversations/{id}/messages/{messageId}/edit", "form.message-editor",
            new() { ["body"] = string.Empty, ["imageAlt"] = "A heron on the pier" });

        Assert.Equal(HttpStatusCode.OK, edited.Status);
        var img = (await bo.OpenAsync(id)).Document.QuerySelector($"#message-{messageId} .message-image img")!;
        Assert.Equal("A heron on the pier", img.GetAttribute("alt"));
        var cleared = await ann.SubmitOnAsync(
            $"/conversations/{id}/messages/{messageId}/edit", "form.message-editor", new() { ["imageAlt"] = " " });
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.Equal("Photo from Ann Later", (await bo.OpenAsync(id)).Document.QuerySelector($"#message-{messageId} .message-image img")!.GetAttribute("alt"));
    }

    [Fact]
    public async Task Deleting_a_photo_message_deletes_the_photo()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.SendPhotoAsync(id, Photo);
        var messageId = ChatSteps.MessageIds(window.Document).Single();
        var src = window.Document.QuerySelector(".message-image img")!.GetAttribute("src")!;

        await ann.DeleteMessageAsync(id, messageId);

        Assert.Equal(HttpStatusCode.NotFound, (await bo.GetImageAsync(src)).StatusCode);
        Assert.Equal(0, await app.CountImagesAsync(id));
        Assert.Null((await bo.OpenAsync(id)).Document.QuerySelector(".message-image"));
    }

    [Fact]
    public async Task An_avatar_uploaded_on_the_profile_page_shows_in_the_window_the_list_and_the_directory()
    {
        using var ann = await app.NewPersonAsync("Ann Avatar");
        using var bo = await app.NewPersonAsync("Bo");
        using var eve = await app.NewPersonAsync("Eve");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Before the new picture");

        var profile = await ann.UploadAvatarAsync(new Upload("me.png", "image/png", TestImages.Encode(600, 400, ImageFormat.Png)));

        Assert.Equal(HttpStatusCode.OK, profile.Status);
        var own = profile.Document.QuerySelector(".avatar-settings img.avatar")!;
        var avatarId = long.Parse(own.GetAttribute("src")!.Split('/')[2]);
        Assert.Equal($"/images/{avatarId}/avatar-256", own.GetAttribute("src"));
        using (var large = await eve.GetImageAsync($"/images/{avatarId}/avatar-256"))
        {
            Assert.Equal(HttpStatusCode.OK, large.StatusCode);
            var header = LibVips.ReadHeader(await large.Content.ReadAsByteArrayAsync());
            Assert.Equal((256, 256), (header.Width, header.Height));
        }

        var small = $"/images/{avatarId}/avatar-64";
        Assert.Equal(small, (await bo.OpenAsync(id)).Document.QuerySelector("article.message .message-meta img.avatar")!.GetAttribute("src"));
        Assert.Equal(small, (await bo.Client.GetAsync("/")).Document.QuerySelector($"#conversation-{id} img.avatar")!.GetAttribute("src"));
        Assert.Equal(small, (await eve.Client.GetAsync("/conversations/new?q=Ann+Avatar")).Document.QuerySelector($"#person-{ann.Id} + label img.avatar")!.GetAttribute("src"));
        Assert.Equal("", (await bo.Client.GetAsync("/")).Document.QuerySelector($"#conversation-{id} img.avatar")!.GetAttribute("alt"));
    }

    [Fact]
    public async Task Without_an_avatar_initials_show_instead_and_screen_readers_skip_them()
    {
        using var ann = await app.NewPersonAsync("Ann Marie Example");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Hello");

        var initials = (await bo.OpenAsync(id)).Document.QuerySelector("article.message .avatar-initials")!;

        Assert.Equal("AE", initials.TextContent);
        Assert.Equal("true", initials.GetAttribute("aria-hidden"));
        Assert.Contains($"avatar-color-{Avatars.ColourOf("Ann Marie Example")}", initials.ClassList);
    }

    [Fact]
    public async Task Replacing_an_avatar_deletes_the_old_one_and_removing_it_brings_back_the_initials()
    {
        using var ann = await app.NewPersonAsync("Ann Swap");
        using var bo = await app.NewPersonAsync("Bo");
        var first = await ann.UploadAvatarAsync(new Upload("a.jpg", "image/jpeg", CameraPhoto.Value));
        var firstSrc = first.Document.QuerySelector(".avatar-settings img.avatar")!.GetAttribute("src")!;

        var second = await ann.UploadAvatarAsync(new Upload("b.webp", "image/webp", TestImages.Encode(300, 300, ImageFormat.Webp)));

        Assert.NotEqual(firstSrc, second.Document.QuerySelector(".avatar-settings img.avatar")!.GetAttribute("src"));
        Assert.Equal(HttpStatusCode.NotFound, (await bo.GetImageAsync(firstSrc)).StatusCode);
        Assert.Equal(1, await app.CountAvatarsAsync(ann.Id));

        var removed = await ann.SubmitOnAsync("/profile", "form.avatar-remove");
        Assert.Equal("AS", removed.Document.QuerySelector(".avatar-settings .avatar-initials")!.TextContent);
        Assert.Equal(0, await app.CountAvatarsAsync(ann.Id));
    }

    [Fact]
    public async Task A_refused_avatar_says_why_and_keeps_the_current_one()
    {
        using var ann = await app.NewPersonAsync("Ann Keep");
        var first = await ann.UploadAvatarAsync(new Upload("a.jpg", "image/jpeg", CameraPhoto.Value));
        var src = first.Document.QuerySelector(".avatar-settings img.avatar")!.GetAttribute("src")!;

        var refused = await ann.UploadAvatarAsync(new Upload("me.jpg", "image/jpeg", TestImages.NotAnImage));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("not an image", refused.Document.QuerySelector("#avatar-error")!.TextContent);
        Assert.Equal(src, refused.Document.QuerySelector(".avatar-settings img.avatar")!.GetAttribute("src"));
        Assert.Equal(1, await app.CountAvatarsAsync(ann.Id));
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_avatar_but_not_its_photos_in_conversations()
    {
        using var ann = await app.NewPersonAsync("Ann Gone");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendPhotoAsync(id, Photo);
        var profile = await ann.UploadAvatarAsync(new Upload("a.jpg", "image/jpeg", CameraPhoto.Value));
        var avatarId = long.Parse(profile.Document.QuerySelector(".avatar-settings img.avatar")!.GetAttribute("src")!.Split('/')[2]);

        var page = await ann.Client.GetAsync("/Identity/Account/Manage/DeletePersonalData");
        await ann.Client.SubmitAsync(page, new() { ["Input.Password"] = ann.User.Password }, "form#delete-user");

        Assert.Equal(0, await app.ScalarAsync("SELECT COUNT(*) FROM images WHERE id = @avatarId", new { avatarId }));
        Assert.Equal(1, await app.CountImagesAsync(id));
        var window = await bo.OpenAsync(id);
        Assert.Equal("Photo from deleted user", window.Document.QuerySelector(".message-image img")!.GetAttribute("alt"));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}

public sealed class ImageTestsOnSqlite(SqliteApp app) : ImageTests<SqliteApp>(app);

public sealed class ImageTestsOnMariaDb(MariaDbApp app) : ImageTests<MariaDbApp>(app);
