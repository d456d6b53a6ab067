using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Extensions.Caching.Memory;

namespace ChatMvc.Chat;

// A message's whole article as _Message renders it for one kind of viewer, kept in process. Even with its shared
// parts kept (MessageFragments), running the partial (a view, its view data, its injected services and tag helpers)
// was most of a window's time: about 25 µs a message, 40 times a page. Without reactions, what a message looks like
// depends on the viewer only through a few yes-or-no facts, so the article is kept under the message's fragment key
// (every state of the message and the viewer's reading of its time) and those facts. A message with reactions shows
// whose they are, which differs from viewer to viewer: it is rendered each time.
public sealed class MessageArticles(MessageFragments fragments)
{
    private readonly MemoryCache kept = new(new MemoryCacheOptions { SizeLimit = 32L * 1024 * 1024 });

    private long renders;

    // Articles rendered rather than found; for tests and diagnostics.
    public long Renders => Interlocked.Read(ref renders);

    // Null when the article cannot be kept: a system line (cheap, and shown by its own rule) or anything showing reactions
    // or a refused one.
    public static string? KeyOf(MessageItem item, ViewerClock clock)
    {
        var message = item.Message;
        if (message.Kind != MessageKind.Text || message.Reactions.Count > 0 || item.ReactionError is not null)
        {
            return null;
        }

        var facts = (item.Continued ? 1 : 0)
            | (item.OutOfBand ? 2 : 0)
            | (item.MayEdit ? 4 : 0)
            | (item.MayDelete ? 8 : 0)
            | (message.DeletedAt is null && message.MentionsUser(item.Viewer.UserId) ? 16 : 0);
        return string.Concat(MessageFragments.KeyOf(message, clock), "/", facts.ToString(CultureInfo.InvariantCulture));
    }

    // Brings from the shared store, in one round trip, the fragments of the messages whose articles this instance
    // lacks: a window whose articles are all kept asks for nothing.
    public Task PrefetchAsync(IEnumerable<MessageItem> items, ViewerClock clock) =>
        fragments.PrefetchAsync(items
            .Where(item => item.Message.Kind != MessageKind.System && (KeyOf(item, clock) is not { } key || !kept.TryGetValue(key, out _)))
            .Select(item => MessageFragments.KeyOf(item.Message, clock)));

    public async Task<IHtmlContent> RenderAsync(IHtmlHelper html, MessageItem item)
    {
        var services = html.ViewContext.HttpContext.RequestServices;
        if (KeyOf(item, services.GetRequiredService<ViewerClock>()) is not { } key)
        {
            return await html.PartialAsync("_Message", item);
        }

        if (kept.TryGetValue(key, out string? article))
        {
            return new HtmlString(article);
        }

        Interlocked.Increment(ref renders);
        article = await html.PartialTextAsync("_Message", item);
        kept.Set(key, article, new MemoryCacheEntryOptions { Size = article.Length, SlidingExpiration = TimeSpan.FromDays(2) });
        return new HtmlString(article);
    }
}

public static class MessageArticleHtml
{
    // `@await Html.MessageAsync(item)`: the message's _Message partial, kept by MessageArticles where it can be.
    public static Task<IHtmlContent> MessageAsync(this IHtmlHelper html, MessageItem item) =>
        html.ViewContext.HttpContext.RequestServices.GetRequiredService<MessageArticles>().RenderAsync(html, item);
}
