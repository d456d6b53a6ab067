using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatMvc.Health;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ChatMvc.Tests.Health;

// A connection flood must not take the process down: past Kestrel's limit connections are closed at once,
// while the connections already admitted (and /healthz on them) go on being answered.
public sealed class ConnectionLimitsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("chatmvc-connections-").FullName;
    private readonly List<AppProcess> apps = [];
    private readonly List<Socket> sockets = [];

    [Theory]
    [InlineData(20000, 18976)]
    [InlineData(65536, 64512)]
    [InlineData(4096, 3072)]
    [InlineData(1100, 550)]
    [InlineData(1024, 512)]
    [InlineData(256, 128)]
    public void The_default_keeps_1024_descriptors_for_everything_else_and_at_least_half_of_a_small_limit(long openFiles, long connections)
    {
        Assert.Equal(connections, ConnectionLimits.DefaultFor(openFiles));
    }

    [Fact]
    public void The_soft_open_file_limit_is_read_from_proc_self_limits()
    {
        string[] limits =
        [
            "Limit                     Soft Limit           Hard Limit           Units     ",
            "Max processes             96362                96362                processes ",
            "Max open files            20000                65536                files     ",
        ];

        Assert.Equal(20000, ConnectionLimits.ParseOpenFileSoftLimit(limits));
        Assert.Null(ConnectionLimits.ParseOpenFileSoftLimit(["Max open files            unlimited            unlimited            files"]));
        Assert.Null(ConnectionLimits.ParseOpenFileSoftLimit(["Max processes             96362                96362                processes"]));
        Assert.Equal(ConnectionLimits.ParseOpenFileSoftLimit(File.ReadAllLines("/proc/self/limits")), ConnectionLimits.OpenFileSoftLimit());
    }

    [Fact]
    public async Task Past_the_configured_limit_a_connection_is_closed_at_once_and_the_admitted_ones_are_still_answered()
    {
        var app = Start(new() { [ConnectionLimits.MaxConnectionsKey] = "4", [RefusedConnectionsLog.IntervalKey] = "1" });
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await WaitForIdleConnectionsToCloseAsync(app);
        Assert.Contains("Connections at once: at most 4 (Kestrel:Limits:MaxConcurrentConnections)", app.Output);

        using var kept = KeepAliveClient(app);
        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/healthz")).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("200", await HealthOnNewSocketAsync(app));
        }

        Assert.Null(await HealthOnNewSocketAsync(app));
        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/healthz")).StatusCode);

        // One line for the refused connections, not Kestrel's warning per connection (a flood's worth of log lines
        // once stalled the threads that close refused connections).
        Assert.Contains("Connections refused in the last 1 s: 1;", await EventuallyAsync(
            () => Task.FromResult<string?>(app.Output.Contains("Connections refused", StringComparison.Ordinal) ? app.Output : null)));
        Assert.DoesNotContain("maximum number of concurrent connections", app.Output);

        // A place freed is a place taken by the next client.
        sockets[0].Dispose();
        sockets.RemoveAt(0);
        Assert.Equal("200", await EventuallyAsync(() => HealthOnNewSocketAsync(app)));
        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_limit_the_limit_follows_the_open_file_limit_and_a_flood_past_it_is_refused()
    {
        const long openFiles = 1100;
        var admitted = ConnectionLimits.DefaultFor(openFiles);
        var app = Start([], openFiles);
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await WaitForIdleConnectionsToCloseAsync(app);
        Assert.Contains($"Connections at once: at most {admitted} (from the open-file limit, {openFiles})", app.Output);

        using var kept = KeepAliveClient(app);
        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/healthz")).StatusCode);
        for (var i = 1; i < admitted; i++)
        {
            Assert.Equal("200", await HealthOnNewSocketAsync(app));
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Null(await HealthOnNewSocketAsync(app));
        }

        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_connection_past_the_limit_is_closed_in_the_accept_loop_and_a_closed_one_frees_its_place()
    {
        var gate = new ConnectionGate(Options.Create(new KestrelServerOptions { Limits = { MaxConcurrentConnections = 2 } }));
        var offered = Enumerable.Range(1, 4).Select(i => new OfferedConnection($"c{i}")).ToList();
        await using var listener = new GatedListener(new OfferingListener(offered), gate);

        var first = await listener.AcceptAsync();
        var second = await listener.AcceptAsync();
        Assert.Equal(["c1", "c2"], new[] { first!.ConnectionId, second!.ConnectionId });
        Assert.Equal(2, gate.Open);

        // The third and fourth are closed before the listener asks the transport for another: none is handed on.
        Assert.Null(await listener.AcceptAsync());
        Assert.All(offered[2..], c => Assert.True(c.Aborted && c.Disposed, $"{c.ConnectionId} was not closed"));
        Assert.False(offered[0].Aborted || offered[0].Disposed);
        Assert.Equal(2, gate.TakeRefused());
        Assert.Equal(0, gate.TakeRefused());

        await first.DisposeAsync();
        await first.DisposeAsync();
        Assert.True(offered[0].Disposed);
        Assert.Equal(1, gate.Open);

        var next = new OfferedConnection("c5");
        await using var again = new GatedListener(new OfferingListener([next]), gate);
        Assert.Equal("c5", (await again.AcceptAsync())?.ConnectionId);
        Assert.Equal(2, gate.Open);
    }

    [Fact]
    public async Task A_refused_connection_that_fails_to_close_does_not_stop_the_listener()
    {
        var gate = new ConnectionGate(Options.Create(new KestrelServerOptions { Limits = { MaxConcurrentConnections = 1 } }));
        await using var first = new GatedListener(new OfferingListener([new OfferedConnection("c1")]), gate);
        Assert.Equal("c1", (await first.AcceptAsync())?.ConnectionId);

        // The only place is taken: c2 throws while it is being closed, and the listener still goes on to refuse c3.
        var broken = new OfferedConnection("c2") { FailsToClose = true };
        var later = new OfferedConnection("c3");
        await using var listener = new GatedListener(new OfferingListener([broken, later]), gate);
        Assert.Null(await listener.AcceptAsync());
        Assert.True(broken.Aborted);
        Assert.True(later.Aborted && later.Disposed);
        Assert.Equal(2, gate.TakeRefused());
        Assert.Equal(1, gate.Open);
    }

    public void Dispose()
    {
        sockets.ForEach(s => s.Dispose());
        apps.ForEach(a => a.Dispose());
        Directory.Delete(folder, recursive: true);
    }

    private AppProcess Start(Dictionary<string, string> settings, long? openFileLimit = null)
    {
        settings["Database:Provider"] = "Sqlite";
        settings["ConnectionStrings:Chat"] = $"Data Source={Path.Combine(folder, "chat.db")}";
        settings["Email:PickupDirectory"] = Path.Combine(folder, "mail");
        settings["Storage:Path"] = Path.Combine(folder, "files");
        var app = new AppProcess(settings, openFileLimit);
        apps.Add(app);
        return app;
    }

    // One client on one kept-alive connection: if it needed another, that one would be refused.
    private static HttpClient KeepAliveClient(AppProcess app) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(app.BaseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };

    // The health checks' own client closed its connection; Kestrel counts it until it sees the close.
    private static async Task WaitForIdleConnectionsToCloseAsync(AppProcess app) => await Task.Delay(500);

    // Opens a connection of its own, asks for /healthz and keeps the connection open: the status code, or null
    // when the server closed the connection without answering.
    private async Task<string?> HealthOnNewSocketAsync(AppProcess app)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var head = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            // A refused connection is reset, which the client may see as soon as it connects or sends.
            await socket.ConnectAsync(IPAddress.Loopback, app.Port);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            while (!head.ToString().Contains("\r\n\r\n"))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    socket.Dispose();
                    return null;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            socket.Dispose();
            return null;
        }

        sockets.Add(socket);
        return head.ToString().Split(' ')[1];
    }

    private static async Task<string?> EventuallyAsync(Func<Task<string?>> attempt)
    {
        for (var tries = 0; tries < 50; tries++)
        {
            if (await attempt() is { } status)
            {
                return status;
            }

            await Task.Delay(100);
        }

        return null;
    }

    // A transport that offers the given connections, then reports that listening is over.
    private sealed class OfferingListener(IEnumerable<ConnectionContext> connections) : IConnectionListener
    {
        private readonly Queue<ConnectionContext> queue = new(connections);

        public EndPoint EndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 0);

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(queue.TryDequeue(out var next) ? next : null);

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class OfferedConnection(string id) : ConnectionContext
    {
        public bool Aborted { get; private set; }

        public bool Disposed { get; private set; }

        public override string ConnectionId { get; set; } = id;

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; } = null!;

        public bool FailsToClose { get; init; }

        public override void Abort(ConnectionAbortedException abortReason) => Aborted = true;

        public override ValueTask DisposeAsync()
        {
            Disposed = true;
            return FailsToClose ? ValueTask.FromException(new IOException("The socket would not close.")) : ValueTask.CompletedTask;
        }
    }
}
