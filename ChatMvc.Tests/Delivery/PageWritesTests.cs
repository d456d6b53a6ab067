using System.Collections.Concurrent;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Delivery;

// A rendered page leaves the app in one write to the response: each write is a send on the connection, and MVC's
// own writer sent a chat window of 80 KB in five. And it leaves as it was written, whatever the characters. Delivery only, so one engine is enough.
public sealed class PageWritesTests(PageWritesTests.CountingApp app) : IClassFixture<PageWritesTests.CountingApp>
{
    [Fact]
    public async Task A_chat_window_larger_than_mvcs_buffer_is_written_to_the_response_at_once()
    {
        using var ann = await app.NewPersonAsync("Ann Writes");
        using var bob = await app.NewPersonAsync("Bob Writes");
        var conversationId = await ann.StartConversationAsync(null, bob);
        for (var i = 0; i < 16; i++)
        {
            await ann.SendAsync(conversationId, $"Message {i}: " + string.Join(' ', Enumerable.Repeat("a longer line of text", 120)));
        }

        var window = await bob.OpenAsync(conversationId);

        Assert.Equal(16, ChatSteps.MessageTexts(window.Document).Count);
        var path = ChatUrls.Conversation(conversationId);
        var written = app.Writes[path];
        // MVC's writer holds 16 K characters; a page under that would be written once whatever the writer.
        Assert.True(written.Bytes > 3 * 16 * 1024, $"The window is only {written.Bytes} bytes.");
        Assert.Equal(1, written.Count);
    }

    [Fact]
    public async Task Text_outside_the_basic_plane_and_right_to_left_arrives_intact()
    {
        using var ann = await app.NewPersonAsync("Ann 😀 Writes");
        using var bob = await app.NewPersonAsync("بوب");
        var conversationId = await ann.StartConversationAsync(null, bob);
        const string body = "Grüße 👋🏽 from the café, שלום, 𝄞 and 漢字";
        await ann.SendAsync(conversationId, body);

        var window = await bob.OpenAsync(conversationId);

        Assert.Contains(body, ChatSteps.MessageTexts(window.Document));
        Assert.Contains("Ann 😀 Writes", window.Document.QuerySelector("article.message .message-sender")!.TextContent);
    }

    // A character split over two of the writer's pieces (a surrogate pair: an emoji) is encoded whole, however the
    // pieces fall against the buffer's growth.
    [Fact]
    public async Task The_page_writer_encodes_a_pair_split_between_two_pieces()
    {
        using var stream = new MemoryStream();
        var writer = new ChatMvc.Delivery.PageWriter(stream, initialSize: 16);
        var text = new string('x', 5000) + "😀" + "é";
        writer.Write(text[..5001]);
        writer.Write(text[5001..]);
        writer.WriteUtf8("<b>kept</b>"u8);
        writer.Write('\uD83D');
        writer.Write("\uDE00 end");
        await writer.FlushAsync();
        Assert.Equal(0, stream.Length);
        await writer.DisposeAsync();

        Assert.Equal(text + "<b>kept</b>😀 end", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    public sealed record Written(int Count, long Bytes);

    public sealed class CountingApp : ChatAppFactory
    {
        public CountingApp()
            : base(Engine.Sqlite)
        {
        }

        // The sends and bytes of the last GET of each path.
        public ConcurrentDictionary<string, Written> Writes { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new CountWrites(Writes)));
        }

        // Outside the app's own pipeline, so it sees what the app hands the server, by either of the response's two
        // ways in: its stream and its pipe.
        private sealed class CountWrites(ConcurrentDictionary<string, Written> writes) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use(async (context, nextMiddleware) =>
                {
                    var server = context.Features.Get<IHttpResponseBodyFeature>()!;
                    var counted = new CountedBody(server);
                    context.Features.Set<IHttpResponseBodyFeature>(counted);
                    await nextMiddleware(context);
                    if (HttpMethods.IsGet(context.Request.Method))
                    {
                        writes[context.Request.Path.Value!] = counted.Total;
                    }
                });
                next(app);
            };
        }
    }

    // Counts a send for each write to the stream and for each flush of the pipe that carries bytes, and the bytes
    // written either way; what is left in the pipe unflushed goes out at the end of the response, one send more.
    private sealed class CountedBody : IHttpResponseBodyFeature
    {
        private readonly IHttpResponseBodyFeature server;
        private readonly CountingStream stream;
        private readonly CountingPipe pipe;

        public CountedBody(IHttpResponseBodyFeature server)
        {
            this.server = server;
            stream = new CountingStream(server.Stream);
            pipe = new CountingPipe(server.Writer);
        }

        public Written Total => new(stream.Count + pipe.Count + (pipe.Pending > 0 ? 1 : 0), stream.Bytes + pipe.Bytes + pipe.Pending);

        public Stream Stream => stream;

        public System.IO.Pipelines.PipeWriter Writer => pipe;

        public void DisableBuffering() => server.DisableBuffering();

        public Task StartAsync(CancellationToken cancellationToken = default) => server.StartAsync(cancellationToken);

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            server.SendFileAsync(path, offset, count, cancellationToken);

        public Task CompleteAsync() => server.CompleteAsync();
    }

    private sealed class CountingPipe(System.IO.Pipelines.PipeWriter inner) : System.IO.Pipelines.PipeWriter
    {
        public int Count { get; private set; }

        public long Bytes { get; private set; }

        public long Pending { get; private set; }

        public override void Advance(int bytes)
        {
            Pending += bytes;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<System.IO.Pipelines.FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (Pending > 0)
            {
                Count++;
                Bytes += Pending;
                Pending = 0;
            }

            return inner.FlushAsync(cancellationToken);
        }
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public int Count { get; private set; }

        public long Bytes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Counted(count);
            inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Counted(count);
            return inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Counted(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        private void Counted(int bytes)
        {
            if (bytes > 0)
            {
                Count++;
                Bytes += bytes;
            }
        }
    }
}
