using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using ChatMvc.Delivery;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace ChatMvc.Chat;

// Each conversation row as _ConversationRow renders it, kept as UTF-8 for as long as the row object lives. The rows a
// person's list is built from are parsed once per cached text (ConversationListCache) and never changed, so the same
// object means the same conversation, preview, counts and time; a change to any of them is a new object. What else a
// row shows is whether it is the open conversation and the time as the viewer reads it (their zone, and whether it was
// today), which are part of the key. Running the row's partials (the row, its avatar, its time) was most of the sidebar
// beside every chat window and nearly all of a long list page.
public sealed class ConversationRows
{
    private readonly ConditionalWeakTable<ConversationSummary, ConcurrentDictionary<string, Utf8Html>> kept = [];

    private long renders;

    // Rows rendered rather than found; for tests and diagnostics.
    public long Renders => Interlocked.Read(ref renders);

    public async Task<IHtmlContent> RenderAsync(IHtmlHelper html, ConversationRowModel row)
    {
        var clock = html.ViewContext.HttpContext.RequestServices.GetRequiredService<ViewerClock>();
        var key = string.Join('|', row.IsCurrent ? "current" : "", clock.Zone.Id, clock.Today.ToString("O", CultureInfo.InvariantCulture));
        var forRow = kept.GetValue(row.Conversation, _ => new ConcurrentDictionary<string, Utf8Html>(StringComparer.Ordinal));
        if (forRow.TryGetValue(key, out var found))
        {
            return found;
        }

        Interlocked.Increment(ref renders);
        var rendered = Utf8Html.From(await html.PartialTextAsync("/Views/Conversations/_ConversationRow.cshtml", row));
        forRow[key] = rendered;
        return rendered;
    }
}

public static class ConversationRowHtml
{
    // `@await Html.ConversationRowAsync(row)`: the row's _ConversationRow partial, kept by ConversationRows.
    public static Task<IHtmlContent> ConversationRowAsync(this IHtmlHelper html, ConversationRowModel row) =>
        html.ViewContext.HttpContext.RequestServices.GetRequiredService<ConversationRows>().RenderAsync(html, row);
}
