using System.Collections.Concurrent;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Delivery;

// A rendered page leaves the app in one write to the response: each write is a send on the connection, and MVC's
// own writer sent a chat window of 80 KB in five. Delivery only, so one engine is enough.
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

    public sealed record Written(int Count, long Bytes);

    public sealed class CountingApp : ChatAppFactory
    {
        public CountingApp()
            : base(Engine.Sqlite)
        {
        }

        // The writes and bytes of the last GET of each path.
        public ConcurrentDictionary<string, Written> Writes { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new CountWrites(Writes)));
        }

        // Outside the app's own pipeline, so it sees what the app hands the server.
        private sealed class CountWrites(ConcurrentDictionary<string, Written> writes) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use(async (context, nextMiddleware) =>
                {
                    var counting = new CountingStream(context.Response.Body);
                    context.Response.Body = counting;
                    await nextMiddleware(context);
                    if (HttpMethods.IsGet(context.Request.Method))
                    {
                        writes[context.Request.Path.Value!] = new Written(counting.Count, counting.Bytes);
                    }
                });
                next(app);
            };
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
