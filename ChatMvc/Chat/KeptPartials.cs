using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using ChatMvc.Delivery;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Caching.Memory;

namespace ChatMvc.Chat;

// The output of small partials that depend on their model alone (not on the viewer, the clock, the request or the view
// data), kept in process as UTF-8 under the partial's name and the model's value: a record, a tuple or a plain value,
// which compare by what they hold. Running a partial (finding the view, copying the view data, activating the page)
// costs a few microseconds however little it writes, and a chat window ran a dozen such for the same few outputs on
// every open. A partial used this way says so at its top.
public sealed class KeptPartials
{
    private readonly MemoryCache kept = new(new MemoryCacheOptions { SizeLimit = 4L * 1024 * 1024 });

    private long renders;

    // Partials rendered rather than found; for tests and diagnostics.
    public long Renders => Interlocked.Read(ref renders);

    public async Task<IHtmlContent> RenderAsync(IHtmlHelper html, string view, object? model)
    {
        var key = (view, model);
        if (kept.TryGetValue(key, out Utf8Html? found))
        {
            return found!;
        }

        Interlocked.Increment(ref renders);
        var rendered = Utf8Html.From(await html.PartialTextAsync(view, model));
        return kept.Set(key, rendered, new MemoryCacheEntryOptions { Size = rendered.Length, SlidingExpiration = TimeSpan.FromHours(1) });
    }
}

public static partial class KeptPartialHtml
{
    // A partial's output as text, for the kept copies (KeptPartials, ConversationRows, MessageArticles), without the
    // views' indentation: a kept copy is written out on every page (a window's forty messages carried 13 KB of it),
    // and a line break alone between two tags reads the same. Text people wrote is encoded, so it can hold no tag of
    // its own; only pre-formatted markup would show the difference, and it is left as it is.
    public static async Task<string> PartialTextAsync(this IHtmlHelper html, string view, object? model)
    {
        // Its own view data holding just this model: given a null model, PartialAsync would hand on the page's.
        var viewData = new ViewDataDictionary<object?>(html.ViewData, model);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        (await html.PartialAsync(view, model, viewData)).WriteTo(writer, html.ViewContext.HttpContext.RequestServices.GetRequiredService<HtmlEncoder>());
        var text = writer.ToString();
        return text.Contains("<pre", StringComparison.Ordinal) || text.Contains("<textarea", StringComparison.Ordinal)
            ? text
            : Indentation().Replace(text, "\n");
    }

    // A line break, then only spaces and line breaks, between the end of one tag and the start of the next.
    [GeneratedRegex(@"(?<=>)\n[ \t\r\n]*(?=<)")]
    private static partial Regex Indentation();

    // `@await Html.KeptPartialAsync("_Name", model)`: the partial, kept by KeptPartials; only for partials whose output
    // follows from their model alone.
    public static Task<IHtmlContent> KeptPartialAsync(this IHtmlHelper html, string view, object? model) =>
        html.ViewContext.HttpContext.RequestServices.GetRequiredService<KeptPartials>().RenderAsync(html, view, model);
}
