using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ChatMvc.Chat;

// A conversation window kept whole for its viewer, as the UTF-8 it was sent as, and sent again while everything it was
// rendered from is the same. With its messages, rows and small partials kept, a warm window still spent about 200 µs
// in MVC's view machinery (the layout, the sidebar, the composer and their partials): most of its cost.
//
// The stamp is the model itself, not versions standing in for it: the details, messages, rows and profile are the
// immutable objects the caches hand out (a change is a new object), compared by reference first and by value after,
// with the viewer's zone, day and administrator link beside them. Whatever differs, the page is rendered again.
// The values a page must never share with another response (the antiforgery token, fresh for every response against
// BREACH, and the composer's client message id, which makes a resend of one page a retry) are found in the rendered
// page and put in afresh each time it is sent.
public sealed class WindowPages(IAntiforgery antiforgery, IOptions<CookieTempDataProviderOptions> tempData)
{
    // A window is about 70 KB: room for a few hundred kept windows, beyond which the least used go.
    private readonly MemoryCache kept = new(new MemoryCacheOptions { SizeLimit = 16L * 1024 * 1024 });

    private readonly IAntiforgery antiforgery = antiforgery;

    private readonly string statusCookie = tempData.Value.Cookie.Name!;

    private long renders;

    private long reuses;

    // Windows rendered and windows sent again; for tests and diagnostics.
    public long Renders => Interlocked.Read(ref renders);

    public long Reuses => Interlocked.Read(ref reuses);

    // The newest page of a window opened by its plain address. Anything else (a query, a status message to show once,
    // another method) is rendered as it always was.
    public IActionResult Show(Controller controller, ChatWindowModel model)
    {
        var view = controller.View(model);
        var request = controller.Request;
        if (!HttpMethods.IsGet(request.Method) || request.QueryString.HasValue || request.Cookies.ContainsKey(statusCookie)
            || !model.IsLive || model.ReplyTo is not null || model.ComposerBody is not null || model.ComposerError is not null)
        {
            return view;
        }

        var clock = controller.HttpContext.RequestServices.GetRequiredService<ViewerClock>();
        return new Result(this, view, model, new Stamp(model, clock.Zone.Id, clock.Today, controller.User.IsAdmin()));
    }

    private sealed class Result(WindowPages pages, ViewResult view, ChatWindowModel model, Stamp stamp) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var http = context.HttpContext;
            var key = (model.Viewer.UserId, model.Conversation.Id);
            if (pages.kept.TryGetValue(key, out KeptPage? page) && page!.Stamp.Matches(stamp))
            {
                Interlocked.Increment(ref pages.reuses);
                // As the layout asks for it: the same headers, and the cookie when the request had none.
                var token = pages.antiforgery.GetAndStoreTokens(http).RequestToken!;
                await page.WriteAsync(http.Response, token, model.ClientMessageId);
                return;
            }

            var response = http.Response;
            var body = response.Body;
            using var buffer = new MemoryStream(96 * 1024);
            response.Body = buffer;
            try
            {
                await view.ExecuteResultAsync(context);
            }
            finally
            {
                response.Body = body;
            }

            Interlocked.Increment(ref pages.renders);
            var rendered = buffer.ToArray();
            if (response.StatusCode == StatusCodes.Status200OK)
            {
                var sent = KeptPage.Of(stamp, rendered, pages.antiforgery.GetAndStoreTokens(http).RequestToken!, model.ClientMessageId);
                pages.kept.Set(key, sent, new MemoryCacheEntryOptions { Size = rendered.Length });
            }

            response.ContentLength = rendered.Length;
            await response.Body.WriteAsync(rendered);
        }
    }

    // A rendered page cut where its per-response values were: pieces of the page with a value between each two.
    private sealed class KeptPage(Stamp stamp, byte[] page, IReadOnlyList<(int Start, int Length)> pieces, IReadOnlyList<Slot> slots)
    {
        public Stamp Stamp { get; } = stamp;

        public static KeptPage Of(Stamp stamp, byte[] page, string token, string clientMessageId)
        {
            var found = new List<(int At, int Length, Slot Slot)>();
            Find(page, token, Slot.Token, found);
            Find(page, clientMessageId, Slot.ClientMessageId, found);
            found.Sort((a, b) => a.At.CompareTo(b.At));
            var pieces = new List<(int, int)>(found.Count + 1);
            var from = 0;
            foreach (var (at, length, _) in found)
            {
                pieces.Add((from, at - from));
                from = at + length;
            }

            pieces.Add((from, page.Length - from));
            return new KeptPage(stamp, page, pieces, found.Select(f => f.Slot).ToList());
        }

        public async Task WriteAsync(HttpResponse response, string token, string clientMessageId)
        {
            var values = new[] { Encoding.ASCII.GetBytes(token), Encoding.ASCII.GetBytes(clientMessageId) };
            var length = page.Length;
            for (var i = 0; i < slots.Count; i++)
            {
                length += values[(int)slots[i]].Length - (pieces[i + 1].Start - pieces[i].Start - pieces[i].Length);
            }

            response.ContentType = "text/html; charset=utf-8";
            response.ContentLength = length;
            var writer = response.BodyWriter;
            for (var i = 0; i < pieces.Count; i++)
            {
                writer.Write(page.AsSpan(pieces[i].Start, pieces[i].Length));
                if (i < slots.Count)
                {
                    writer.Write(values[(int)slots[i]]);
                }
            }

            await writer.FlushAsync();
        }

        // The values are ASCII (base64url, hex) that HTML encoding leaves as they are, and long and random enough
        // that nothing else in a page is them.
        private static void Find(byte[] page, string value, Slot slot, List<(int, int, Slot)> found)
        {
            var bytes = Encoding.ASCII.GetBytes(value);
            var from = 0;
            int at;
            while ((at = page.AsSpan(from).IndexOf(bytes)) >= 0)
            {
                found.Add((from + at, bytes.Length, slot));
                from += at + bytes.Length;
            }
        }
    }

    private enum Slot
    {
        Token,
        ClientMessageId,
    }

    // Everything a window's page shows, as the objects it was rendered from.
    private sealed class Stamp(ChatWindowModel model, string zone, DateOnly today, bool isAdmin)
    {
        private static readonly Member[] NoMembers = [];

        private static readonly ConversationSummary[] NoRows = [];

        private readonly ChatWindowModel model = model;

        private readonly string zone = zone;

        private readonly DateOnly today = today;

        private readonly bool isAdmin = isAdmin;

        public bool Matches(Stamp other) =>
            zone == other.zone && today == other.today && isAdmin == other.isAdmin
            && Rest(model) == Rest(other.model)
            && SameDetails(model.Conversation, other.model.Conversation)
            && model.Messages.SequenceEqual(other.model.Messages)
            && Rest(model.Shell) == Rest(other.model.Shell)
            && model.Shell.Conversations.Conversations.SequenceEqual(other.model.Shell.Conversations.Conversations);

        // The rest of the model by the record's own equality, so that a field added to it is compared too. The lists
        // are compared item by item above (records compare lists by reference), and the client message id is put in
        // afresh.
        private static ChatWindowModel Rest(ChatWindowModel window) =>
            window with { Conversation = null!, Messages = null!, Shell = null!, ClientMessageId = string.Empty };

        private static ShellModel Rest(ShellModel shell) => shell with { Conversations = shell.Conversations with { Conversations = NoRows } };

        // Details read afresh after a change hold equal members in another list.
        private static bool SameDetails(ConversationDetails a, ConversationDetails b) =>
            ReferenceEquals(a, b) || (a.Members.SequenceEqual(b.Members) && a with { Members = NoMembers } == b with { Members = NoMembers });
    }
}
