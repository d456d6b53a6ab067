using System.Globalization;
using ChatMvc.Delivery;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Extensions.Caching.Memory;

namespace ChatMvc.Chat;

// A message's whole article as _Message renders it for one kind of viewer, kept in process as the UTF-8 it leaves as.
// Even with its shared parts kept (MessageFragments), running the partial (a view, its view data, its injected services
// and tag helpers) was most of a window's time: about 25 µs a message, 40 times a page. Without reactions, what a
// message looks like depends on the viewer only through a few yes-or-no facts, so the article is kept under the
// message's fragment key (every state of the message and the viewer's reading of its time) and those facts. A message
// with reactions shows whose they are, which differs from viewer to viewer: it is rendered each time.
public sealed class MessageArticles(MessageFragments fragments)
{
    private readonly MemoryCache kept = new(new MemoryCacheOptions { SizeLimit = 32L * 1024 * 1024 });

    private long renders;

    // Articles rendered rather than found; for tests and diagnostics.
    public long Renders => Interlocked.Read(ref renders);

    // Null when the article cannot be kept: a system line (cheap, and shown by its own rule) or anything showing
    // reactions or a refused one.
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

    // A window's messages in order, each key worked out once: the kept articles, and the others rendered after the
    // fragments they lack are brought from the shared store in one round trip. A window whose articles are all kept
    // asks for nothing.
    public async Task<IReadOnlyList<IHtmlContent>> RenderAllAsync(IHtmlHelper html, IReadOnlyList<MessageItem> items)
    {
        var clock = html.ViewContext.HttpContext.RequestServices.GetRequiredService<ViewerClock>();
        var articles = new IHtmlContent?[items.Count];
        var keys = new string?[items.Count];
        List<string>? lacking = null;
        for (var i = 0; i < items.Count; i++)
        {
            keys[i] = KeyOf(items[i], clock);
            if (keys[i] is { } key && kept.TryGetValue(key, out Utf8Html? article))
            {
                articles[i] = article;
            }
            else if (items[i].Message.Kind != MessageKind.System)
            {
                (lacking ??= []).Add(MessageFragments.KeyOf(items[i].Message, clock));
            }
        }

        if (lacking is not null)
        {
            await fragments.PrefetchAsync(lacking);
        }

        for (var i = 0; i < items.Count; i++)
        {
            articles[i] ??= await RenderAsync(html, items[i], keys[i]);
        }

        return articles!;
    }

    public Task<IHtmlContent> RenderAsync(IHtmlHelper html, MessageItem item) =>
        RenderAsync(html, item, KeyOf(item, html.ViewContext.HttpContext.RequestServices.GetRequiredService<ViewerClock>()));

    private async Task<IHtmlContent> RenderAsync(IHtmlHelper html, MessageItem item, string? key)
    {
        if (key is null)
        {
            return await html.PartialAsync("_Message", item);
        }

        if (kept.TryGetValue(key, out Utf8Html? article))
        {
            return article!;
        }

        Interlocked.Increment(ref renders);
        article = Utf8Html.From(await html.PartialTextAsync("_Message", item));
        return kept.Set(key, article, new MemoryCacheEntryOptions { Size = article.Length, SlidingExpiration = TimeSpan.FromDays(2) });
    }
}

public static class MessageArticleHtml
{
    // `@await Html.MessageAsync(item)`: the message's _Message partial, kept by MessageArticles where it can be.
    public static Task<IHtmlContent> MessageAsync(this IHtmlHelper html, MessageItem item) =>
        html.ViewContext.HttpContext.RequestServices.GetRequiredService<MessageArticles>().RenderAsync(html, item);
}
