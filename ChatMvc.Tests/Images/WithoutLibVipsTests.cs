using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Images;

// A server without libvips: chat works, photos are switched off and every face of the app says so.
public sealed class WithoutLibVipsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("chatmvc-novips-").FullName;
    private readonly AppProcess app;

    public WithoutLibVipsTests()
    {
        app = new AppProcess(new Dictionary<string, string>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Chat"] = $"Data Source={Path.Combine(folder, "chat.db")}",
            ["Email:PickupDirectory"] = Path.Combine(folder, "mail"),
            ["Images:LibVips"] = "libvips-not-installed.so.42",
        });
    }

    [Fact]
    public async Task Without_libvips_the_app_warns_once_health_says_photos_are_off_and_uploads_get_a_clear_503()
    {
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var anonymous = app.CreateClient();
        var health = await anonymous.GetAsync("/healthz");
        var healthText = await health.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("images: Degraded", healthText);
        Assert.Contains("libvips42", healthText);
        Assert.Equal(1, app.Output.Split('\n').Count(line => line.Contains("Photos are off")));
        Assert.Contains("libvips42t64", app.Output);

        var ann = AccountSteps.NewUser("Ann NoVips");
        using var annPages = new WebSession(app.CreateClient());
        await annPages.RegisterAsync(ann);
        using var bo = await ApiSteps.NewApiUserAsync(app.CreateClient(), "Bo NoVips");
        var window = await annPages.SubmitAsync(await annPages.GetAsync($"/conversations/new?selected={bo.Id}"), [], "form.new-conversation");
        var id = ChatSteps.ConversationIdOf(window);

        // Photos need libvips; other files do not, so the composer keeps its file field and drops only the photo one.
        Assert.Null(window.Document.QuerySelector("#composer input[name=Image]"));
        Assert.NotNull(window.Document.QuerySelector("#composer input[type=file][name=File]"));
        Assert.Equal("Photos are off on this server.", window.Document.QuerySelector("#photos-off")?.TextContent);
        var profile = await annPages.GetAsync("/profile");
        Assert.Null(profile.Document.QuerySelector("input[type=file]"));
        Assert.NotNull(profile.Document.QuerySelector("#photos-off"));

        var photo = TestImages.FlatPng(32, 32, 3, 8);
        var apiSend = await bo.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", Multipart(photo, ("alt", "A square")));
        var apiProblem = await apiSend.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("libvips", apiProblem.GetProperty("detail").GetString());
        var apiAvatar = await bo.Http.PutAsync("/api/v1/users/me/image", Multipart(photo));
        await apiAvatar.ProblemAsync(HttpStatusCode.ServiceUnavailable);

        var token = window.Document.QuerySelector("#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var pageSend = await annPages.Http.PostAsync(
            $"/conversations/{id}/messages",
            Multipart(photo, [("Body", "With a photo"), ("ImageAlt", "A square"), ("__RequestVerificationToken", token)], "Image"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pageSend.StatusCode);
        Assert.Contains("Photos are off on this server", await pageSend.Content.ReadAsStringAsync());

        var messages = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(messages.GetProperty("items").EnumerateArray());
        var text = await bo.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { body = "Text still works" });
        Assert.Equal(HttpStatusCode.Created, text.StatusCode);
    }

    public void Dispose()
    {
        app.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static MultipartFormDataContent Multipart(byte[] photo, params (string Name, string Value)[] fields) =>
        Multipart(photo, fields, "file");

    private static MultipartFormDataContent Multipart(byte[] photo, (string Name, string Value)[] fields, string fileField)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(photo);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, fileField, "square.png");
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }
}
