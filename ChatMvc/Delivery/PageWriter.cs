using System.Buffers;
using System.Text;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ViewFeatures.Buffers;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatMvc.Delivery;

/// <summary>
/// Gives MVC's views a <see cref="PageWriter"/>. MVC's own writer holds 16 K characters and writes out what it holds
/// each time it fills, and each write is a send on the connection: a chat window of 80 KB went out in five, each waking
/// the reader. Its text was also copied through two buffers of characters on the way.
/// </summary>
public sealed class PageWriterFactory(IHttpContextAccessor accessor) : IHttpResponseStreamWriterFactory
{
    /// <summary>Bytes held at first for a page: a chat window or a conversation list page of a few hundred rows.</summary>
    public const int PageBufferSize = 128 * 1024;

    /// <summary>For htmx fragments, which are small and come by the thousand (polls, sends).</summary>
    public const int FragmentBufferSize = 16 * 1024;

    // Characters, as MVC's MemoryPoolHttpResponseStreamWriterFactory.DefaultBufferSize.
    private const int MvcWriterSize = 16 * 1024;

    public TextWriter CreateWriter(Stream stream, Encoding encoding)
    {
        // A response in another encoding (the app writes none) gets MVC's own writer, at MVC's own size.
        if (encoding.CodePage != Encoding.UTF8.CodePage)
        {
            return new HttpResponseStreamWriter(stream, encoding, MvcWriterSize, ArrayPool<byte>.Shared, ArrayPool<char>.Shared);
        }

        var size = accessor.HttpContext?.Request.IsHtmx() == true ? FragmentBufferSize : PageBufferSize;
        return new PageWriter(stream, size);
    }
}

/// <summary>
/// A page's text encoded as UTF-8 into one buffer and written to the response in one write when MVC is done with the
/// writer, at the end of the page: Razor has the whole page buffered before it writes anything, so holding it here
/// delays nothing. The buffer is taken from the shared pool at the first write, which comes when the page is finished,
/// and given back once it is sent. HTML kept already encoded (<see cref="Utf8Html"/>, such as the cached message articles)
/// is copied in as it is.
/// </summary>
public sealed class PageWriter(Stream stream, int initialSize) : TextWriter
{
    // Keeps the first half of a surrogate pair written at the end of one piece for the start of the next.
    private readonly Encoder encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();

    private byte[]? buffer;

    private int written;

    private bool halfPairHeld;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        halfPairHeld = char.IsHighSurrogate(chars[^1]);
        // Room for the text as if it were all ASCII, as pages nearly are; whatever else is left goes in a larger buffer.
        while (!chars.IsEmpty)
        {
            encoder.Convert(chars, Room(chars.Length + 8), flush: false, out var charsUsed, out var bytesUsed, out _);
            written += bytesUsed;
            chars = chars[charsUsed..];
        }
    }

    /// <summary>HTML already encoded as UTF-8, copied into the page as it is.</summary>
    public void WriteUtf8(ReadOnlySpan<byte> html)
    {
        FinishCharacters();
        html.CopyTo(Room(html.Length));
        written += html.Length;
    }

    // Writing never waits: the text goes into the pipe's memory, and only a flush sends it.
    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Write(buffer, index, count);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        Write(CoreNewLine);
        return Task.CompletedTask;
    }

    // Nothing is sent before the writer is disposed. MVC flushes its writer after each piece of HTML it did not render
    // itself (a kept article, a partial) as well as at the end, and each of those flushes would be a send.
    public override void Flush() => FinishCharacters();

    public override Task FlushAsync()
    {
        FinishCharacters();
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => FlushAsync();

    // MVC disposes its writer when the page is written: the page goes out now, in one write.
    public override async ValueTask DisposeAsync()
    {
        FinishCharacters();
        if (buffer is not null)
        {
            try
            {
                await stream.WriteAsync(buffer.AsMemory(0, written));
            }
            finally
            {
                GiveBack();
            }
        }

        Dispose(disposing: false);
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && buffer is not null)
        {
            // Only reached without DisposeAsync; the server refuses a write that waits, and says so.
            try
            {
                FinishCharacters();
                stream.Write(buffer, 0, written);
            }
            finally
            {
                GiveBack();
            }
        }

        base.Dispose(disposing);
    }

    // Room for at least this many more bytes: the buffer, taken now or for a larger one.
    private Span<byte> Room(int bytes)
    {
        if (buffer is null || buffer.Length - written < bytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(initialSize, 2 * (written + bytes)));
            if (buffer is not null)
            {
                buffer.AsSpan(0, written).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
            }

            buffer = larger;
        }

        return buffer.AsSpan(written);
    }

    private void GiveBack()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
            written = 0;
        }
    }

    // A lone half of a surrogate pair left by the last piece becomes the replacement character, as MVC's writer does.
    private void FinishCharacters()
    {
        if (!halfPairHeld)
        {
            return;
        }

        halfPairHeld = false;
        encoder.Convert([], Room(8), flush: true, out _, out var bytesUsed, out _);
        written += bytesUsed;
    }
}

/// <summary>
/// Lets a page be written to the <see cref="PageWriter"/> itself. Razor writes a finished page through a writer of
/// its own that copies the text into pages of characters first, to spare a writer on the response from many small
/// writes that might wait; a page writer never waits, so that copy bought nothing, and it hid the page writer from
/// HTML kept as UTF-8 (<see cref="Utf8Html"/>).
/// </summary>
public sealed class PageBufferScope(IViewBufferScope inner) : IViewBufferScope
{
    public ViewBufferValue[] GetPage(int pageSize) => inner.GetPage(pageSize);

    public void ReturnSegment(ViewBufferValue[] segment) => inner.ReturnSegment(segment);

    public TextWriter CreateWriter(TextWriter writer) => writer is PageWriter ? writer : inner.CreateWriter(writer);
}
