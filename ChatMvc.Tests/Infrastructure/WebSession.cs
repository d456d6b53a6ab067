using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ChatMvc.Tests.Infrastructure;

// A person's browser without JavaScript: keeps cookies, follows redirects by hand, reads pages with
// AngleSharp and submits forms with the values (and antiforgery token) the page holds.
public sealed class WebSession : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient http;

    public WebSession(WebApplicationFactory<Program> factory)
    {
        http = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
    }

    // For an app running elsewhere (another process): the client must keep cookies and not follow redirects.
    public WebSession(HttpClient http) => this.http = http;

    public HttpClient Http => http;

    // For an app on a real port whose redirects lead to another site (an identity provider) and back: addresses
    // are kept whole, so each request goes to the site that sent it on.
    public bool FollowsOtherSites { get; init; }

    public Uri? LastUrl { get; private set; }

    public async Task<Page> GetAsync(string url)
    {
        var response = await http.GetAsync(url);
        return await FollowAsync(response, url);
    }

    // Fills the form found by selector (default: the first form in main) and submits it like a browser would.
    public async Task<Page> SubmitAsync(Page page, Dictionary<string, string> values, string formSelector = "main form", string? submitter = null)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form matches '{formSelector}' on {page.Url}.");
        var button = submitter is null ? null : form.QuerySelector(submitter)
            ?? throw new InvalidOperationException($"No submit button '{submitter}' in the form on {page.Url}.");
        return await SendFormAsync(page, form, values, button);
    }

    // Presses a submit button as a browser would: the form it belongs to (around it, or named by its form attribute)
    // goes to the button's formaction, if it has one, with the button's name and value.
    public async Task<Page> PressAsync(Page page, string buttonSelector)
    {
        var button = page.Document.QuerySelector(buttonSelector) as IHtmlButtonElement
            ?? throw new InvalidOperationException($"No button matches '{buttonSelector}' on {page.Url}.");
        var form = button.Form ?? throw new InvalidOperationException($"The button '{buttonSelector}' on {page.Url} belongs to no form.");
        return await SendFormAsync(page, form, [], button);
    }

    private async Task<Page> SendFormAsync(Page page, IHtmlFormElement form, Dictionary<string, string> values, IElement? button)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    if (input.Type is "submit" or "button" or "image" or "file")
                    {
                        continue;
                    }

                    if (input.Type is "checkbox" or "radio")
                    {
                        if (values.TryGetValue(input.Name, out var chosen) ? chosen == input.Value : input.IsChecked)
                        {
                            fields.Add(new(input.Name, input.Value));
                        }

                        continue;
                    }

                    fields.Add(new(input.Name, values.TryGetValue(input.Name, out var value) ? value : input.Value));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name, values.TryGetValue(area.Name, out var text) ? text : area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name, values.TryGetValue(select.Name, out var option) ? option : select.Value ?? string.Empty));
                    break;
            }
        }

        foreach (var (name, value) in values)
        {
            if (!fields.Any(f => f.Key == name) && !form.Elements.Any(e => e.GetAttribute("name") == name))
            {
                throw new InvalidOperationException($"The form on {page.Url} has no field named '{name}'.");
            }
        }

        if (button?.GetAttribute("name") is { Length: > 0 } buttonName)
        {
            fields.Add(new(buttonName, button.GetAttribute("value") ?? string.Empty));
        }

        var action = button?.GetAttribute("formaction") is { Length: > 0 } f ? f : form.GetAttribute("action") is { Length: > 0 } a ? a : page.Url;
        var target = new Uri(new Uri(http.BaseAddress!, page.Url), action);
        if (string.Equals(form.GetAttribute("method"), "get", StringComparison.OrdinalIgnoreCase))
        {
            // A GET form replaces the action's query with its fields, as browsers do.
            var query = await new FormUrlEncodedContent(fields).ReadAsStringAsync();
            return await GetAsync(new UriBuilder(target) { Query = query }.Uri.PathAndQuery);
        }

        var response = await http.PostAsync(target, new FormUrlEncodedContent(fields));
        return await FollowAsync(response, FollowsOtherSites ? target.AbsoluteUri : target.PathAndQuery);
    }

    public async Task<Page> PostAsync(string url, IDictionary<string, string> values)
    {
        var response = await http.PostAsync(url, new FormUrlEncodedContent(values));
        return await FollowAsync(response, url);
    }

    private async Task<Page> FollowAsync(HttpResponseMessage response, string url)
    {
        var redirects = 0;
        while (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
               or HttpStatusCode.RedirectKeepVerb or HttpStatusCode.MovedPermanently)
        {
            if (++redirects > 10)
            {
                throw new InvalidOperationException($"Too many redirects from {url}.");
            }

            var location = response.Headers.Location!;
            url = FollowsOtherSites
                ? new Uri(new Uri(http.BaseAddress!, url), location).AbsoluteUri
                : location.IsAbsoluteUri ? location.PathAndQuery : new Uri(new Uri(http.BaseAddress!, url), location).PathAndQuery;
            response = await http.GetAsync(url);
        }

        var html = await response.Content.ReadAsStringAsync();
        LastUrl = new Uri(http.BaseAddress!, url);
        var document = Parser.ParseDocument(html);
        return new Page(response.StatusCode, url, document, response);
    }

    public void Dispose() => http.Dispose();
}

public sealed record Page(HttpStatusCode Status, string Url, IHtmlDocument Document, HttpResponseMessage Response)
{
    public string Path => Url.Split('?')[0];

    public string MainText => Document.QuerySelector("main")?.TextContent ?? string.Empty;
}
