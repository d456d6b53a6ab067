using System.Buffers;
using System.Text;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatMvc.Delivery;

/// <summary>
/// Writes a rendered page to the response in one piece. MVC's own writer holds 16 K characters and writes out what it
/// holds each time it fills, and each write is a send on the connection: a chat window of 80 KB went out in five,
/// each waking the reader. Razor has the whole page buffered before it writes anything, so a larger buffer delays
/// nothing. htmx fragments are small and come by the thousand (polls, sends), so they keep MVC's size and do not
/// hold page-sized buffers from the pool.
/// </summary>
public sealed class PageWriterFactory(IHttpContextAccessor accessor) : IHttpResponseStreamWriterFactory
{
    /// <summary>Characters held before a write: a chat window or a conversation list page of a few hundred rows.</summary>
    public const int PageBufferSize = 128 * 1024;

    /// <summary>MVC's own size, for htmx fragments.</summary>
    public const int FragmentBufferSize = 16 * 1024;

    public TextWriter CreateWriter(Stream stream, Encoding encoding)
    {
        var size = accessor.HttpContext?.Request.IsHtmx() == true ? FragmentBufferSize : PageBufferSize;
        return new HttpResponseStreamWriter(stream, encoding, size, ArrayPool<byte>.Shared, ArrayPool<char>.Shared);
    }
}
