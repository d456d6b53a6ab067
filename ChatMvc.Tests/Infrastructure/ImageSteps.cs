using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ChatMvc.Data;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Infrastructure;

public sealed record Upload(string FileName, string ContentType, byte[] Bytes);

// Photo and avatar uploads as a browser sends them: the page's multipart form, its fields and a file.
public static class ImageSteps
{
    private static readonly HtmlParser Parser = new();

    // Sends a photo from the composer without JavaScript (a multipart form POST), and follows the redirect.
    public static async Task<Page> SendPhotoAsync(
        this Participant person, long conversationId, Upload photo, string? body = null, string? alt = null, string? clientMessageId = null)
    {
        var window = await person.OpenAsync(conversationId);
        var values = new Dictionary<string, string> { ["Body"] = body ?? string.Empty, ["ImageAlt"] = alt ?? string.Empty };
        if (clientMessageId is not null)
        {
            values["ClientMessageId"] = clientMessageId;
        }

        return await person.Client.SubmitMultipartAsync(window, "form#composer", values, ("Image", photo));
    }

    // The same send as htmx makes it: the fragment that is appended to the log.
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Fragment)> SendPhotoWithHtmxAsync(
        this Participant person, long conversationId, Upload photo, string? body = null)
    {
        var window = await person.OpenAsync(conversationId);
        var form = (IHtmlFormElement)window.Document.QuerySelector("form#composer")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("action"))
        {
            Content = Multipart(FieldsOf(form, new() { ["Body"] = body ?? string.Empty }), [("Image", photo)]),
        };
        request.Headers.Add("HX-Request", "true");
        var response = await person.Client.Http.SendAsync(request);
        return (response, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    public static Task<Page> UploadAvatarAsync(this Participant person, Upload picture) =>
        person.SubmitMultipartOnAsync("/profile", "form.avatar-form", ("avatar", picture));

    public static async Task<Page> SubmitMultipartOnAsync(this Participant person, string url, string formSelector, params (string Field, Upload File)[] files)
    {
        var page = await person.Client.GetAsync(url);
        return await person.Client.SubmitMultipartAsync(page, formSelector, [], files);
    }

    public static async Task<Page> SubmitMultipartAsync(
        this WebSession client, Page page, string formSelector, Dictionary<string, string> values, params (string Field, Upload File)[] files)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form matches '{formSelector}' on {page.Url}.");
        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        foreach (var (field, _) in files)
        {
            Assert.NotNull(form.QuerySelector($"input[type=file][name={field}]"));
        }

        var response = await client.Http.PostAsync(form.GetAttribute("action"), Multipart(FieldsOf(form, values), files));
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            return await client.GetAsync(response.Headers.Location!.OriginalString);
        }

        return new Page(response.StatusCode, page.Url, Parser.ParseDocument(await response.Content.ReadAsStringAsync()), response);
    }

    public static async Task<HttpResponseMessage> GetImageAsync(this Participant person, string url, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await person.Client.Http.SendAsync(request);
    }

    // Photos stored for one conversation.
    public static Task<long> CountImagesAsync(this ChatAppFactory app, long conversationId) =>
        app.ScalarAsync("SELECT COUNT(*) FROM images WHERE conversation_id = @conversationId", new { conversationId });

    // Avatars stored for one person, the current one and any left behind.
    public static Task<long> CountAvatarsAsync(this ChatAppFactory app, long userId) =>
        app.ScalarAsync("SELECT COUNT(*) FROM images WHERE conversation_id IS NULL AND uploaded_by = @userId", new { userId });

    public static async Task<long> ScalarAsync(this ChatAppFactory app, string sql, object parameters)
    {
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    private static List<KeyValuePair<string, string>> FieldsOf(IHtmlFormElement form, Dictionary<string, string> values)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element is IHtmlButtonElement
                || (element is IHtmlInputElement input && input.Type is "file" or "submit" or "button"))
            {
                continue;
            }

            var current = element switch
            {
                IHtmlTextAreaElement area => area.Value,
                IHtmlInputElement field => field.Value,
                _ => string.Empty,
            };
            fields.Add(new(name, values.TryGetValue(name, out var value) ? value : current));
        }

        return fields;
    }

    private static MultipartFormDataContent Multipart(List<KeyValuePair<string, string>> fields, (string Field, Upload File)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var (field, file) in files)
        {
            var bytes = new ByteArrayContent(file.Bytes);
            bytes.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
            content.Add(bytes, field, file.FileName);
        }

        return content;
    }
}
