using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatMvc.Images;
using ChatMvc.Tests.Images;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Api;

public abstract class ImagesApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task A_photo_sent_through_the_api_comes_back_with_urls_its_members_can_fetch()
    {
        using var ann = await app.NewApiUserAsync("Ann Photographer");
        using var bo = await app.NewApiUserAsync("Bo Viewer");
        using var eve = await app.NewApiUserAsync("Eve Outsider");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var response = await ann.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", Photo(alt: "A red kite", body: "Look up"));

        var message = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Look up", message.GetProperty("body").GetString());
        var image = message.GetProperty("image");
        Assert.Equal(800, image.GetProperty("width").GetInt32());
        Assert.Equal(600, image.GetProperty("height").GetInt32());
        Assert.Equal("A red kite", image.GetProperty("alt").GetString());
        var full = await bo.Http.GetAsync(image.GetProperty("url").GetString());
        var thumbnail = await bo.Http.GetAsync(image.GetProperty("thumbnailUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("image/jpeg", full.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        await (await eve.Http.GetAsync(image.GetProperty("url").GetString())).ProblemAsync(HttpStatusCode.NotFound);
        var listed = (await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(image.GetProperty("url").GetString(), listed.GetProperty("image").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_photo_without_a_file_or_a_file_that_is_not_an_image_is_refused_on_the_file_field()
    {
        using var ann = await app.NewApiUserAsync("Ann Files");
        using var bo = await app.NewApiUserAsync("Bo Files");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var url = $"/api/v1/conversations/{id}/messages/image";

        var noFile = await ann.Http.PostAsync(url, new MultipartFormDataContent { { new StringContent("Just text"), "body" } });
        var notAnImage = await ann.Http.PostAsync(url, Photo(bytes: TestImages.NotAnImage));
        var asJson = await ann.Http.PostAsJsonAsync(url, new { body = "No file" });
        var longAlt = await ann.Http.PostAsync(url, Photo(alt: new string('a', 1000)));

        Assert.Equal(["file"], (await noFile.ValidationErrorsAsync()).Keys);
        Assert.Contains("not an image", (await notAnImage.ValidationErrorsAsync())["file"].Single());
        await asJson.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(["alt"], (await longAlt.ValidationErrorsAsync()).Keys);
        Assert.Equal(0, await app.CountMessagesAsync(id));
        Assert.Equal(0, await app.CountImagesAsync(id));
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_a_413()
    {
        using var ann = await app.NewApiUserAsync("Ann Huge");
        using var bo = await app.NewApiUserAsync("Bo Huge");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var response = await ann.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", Photo(bytes: new byte[ImageProcessor.MaxBytes + 100_000]));

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await app.CountImagesAsync(id));
    }

    [Fact]
    public async Task A_non_member_cannot_send_a_photo()
    {
        using var ann = await app.NewApiUserAsync("Ann Private");
        using var bo = await app.NewApiUserAsync("Bo Private");
        using var eve = await app.NewApiUserAsync("Eve Snoop");
        var id = await ann.StartConversationAsync(null, bo.Id);

        await (await eve.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", Photo())).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await app.CountImagesAsync(id));
    }

    [Fact]
    public async Task The_sender_changes_a_photos_description_and_may_leave_it_without_text()
    {
        using var ann = await app.NewApiUserAsync("Ann Describes");
        using var bo = await app.NewApiUserAsync("Bo Describes");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var sent = await (await ann.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", Photo(body: "Caption"))).JsonAsync(HttpStatusCode.Created);
        var url = $"/api/v1/conversations/{id}/messages/{sent.GetProperty("id").GetInt64()}";
        Assert.Equal("Photo from Ann Describes", sent.GetProperty("image").GetProperty("alt").GetString());

        var described = await (await ann.Http.PatchAsJsonAsync(url, new { alt = "Harbour at dusk" })).JsonAsync(HttpStatusCode.OK);
        var untitled = await (await ann.Http.PatchAsJsonAsync(url, new { body = "" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Harbour at dusk", described.GetProperty("image").GetProperty("alt").GetString());
        Assert.Equal("Caption", described.GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, untitled.GetProperty("body").ValueKind);
        Assert.Equal("Harbour at dusk", untitled.GetProperty("image").GetProperty("alt").GetString());
    }

    [Fact]
    public async Task A_deleted_photo_message_loses_its_image()
    {
        using var ann = await app.NewApiUserAsync("Ann Regrets");
        using var bo = await app.NewApiUserAsync("Bo Saw");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var sent = await (await ann.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", Photo())).JsonAsync(HttpStatusCode.Created);
        var imageUrl = sent.GetProperty("image").GetProperty("url").GetString();

        await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{sent.GetProperty("id").GetInt64()}");

        await (await bo.Http.GetAsync(imageUrl)).ProblemAsync(HttpStatusCode.NotFound);
        var listed = (await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("image").ValueKind);
    }

    [Fact]
    public async Task A_picture_uploaded_as_me_is_shown_to_everyone_until_it_is_removed()
    {
        using var ann = await app.NewApiUserAsync("Ann Portrait");
        using var bo = await app.NewApiUserAsync("Bo Looks");

        var before = await bo.Http.GetAsync($"/api/v1/users/{ann.Id}/image");
        var me = await (await ann.Http.PutAsync("/api/v1/users/me/image", Photo())).JsonAsync(HttpStatusCode.OK);
        var person = await (await bo.Http.GetAsync($"/api/v1/users/{ann.Id}")).JsonAsync(HttpStatusCode.OK);
        var picture = await bo.Http.GetAsync($"/api/v1/users/{ann.Id}/image");
        var removed = await ann.Http.DeleteAsync("/api/v1/users/me/image");

        Assert.Contains("initials", (await before.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        Assert.Equal($"/api/v1/users/{ann.Id}/image", me.GetProperty("imageUrl").GetString());
        Assert.Equal($"/api/v1/users/{ann.Id}/image", person.GetProperty("imageUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal("image/jpeg", picture.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await (await bo.Http.GetAsync($"/api/v1/users/{ann.Id}/image")).ProblemAsync(HttpStatusCode.NotFound);
        await (await bo.Http.GetAsync("/api/v1/users/999999999/image")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_picture_that_is_not_an_image_or_missing_is_refused()
    {
        using var ann = await app.NewApiUserAsync("Ann Blank");

        var notAnImage = await ann.Http.PutAsync("/api/v1/users/me/image", Photo(bytes: TestImages.NotAnImage));
        var missing = await ann.Http.PutAsync("/api/v1/users/me/image", new MultipartFormDataContent { { new StringContent("x"), "other" } });

        Assert.Equal(["file"], (await notAnImage.ValidationErrorsAsync()).Keys);
        Assert.Equal(["file"], (await missing.ValidationErrorsAsync()).Keys);
        Assert.Equal(JsonValueKind.Null, (await (await ann.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("imageUrl").ValueKind);
    }

    private static MultipartFormDataContent Photo(byte[]? bytes = null, string? alt = null, string? body = null)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes ?? TestImages.Encode(800, 600, ImageFormat.Png));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "file", "photo.png");
        if (alt is not null)
        {
            content.Add(new StringContent(alt), "alt");
        }

        if (body is not null)
        {
            content.Add(new StringContent(body), "body");
        }

        return content;
    }
}

public sealed class ImagesApiTestsOnSqlite(SqliteApp app) : ImagesApiTests<SqliteApp>(app);

public sealed class ImagesApiTestsOnMariaDb(MariaDbApp app) : ImagesApiTests<MariaDbApp>(app);
