using System.Net;
using System.Net.Sockets;

namespace ChatMvc.Tests.Infrastructure;

// A loopback TCP forwarder a test can cut and restore, to take a real server away from the app (and give
// it back) without stopping the server other tests are using.
public sealed class TcpProxy : IDisposable
{
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;

    public TcpProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public void Start()
    {
        running = new CancellationTokenSource();
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptAsync(listener, running.Token);
    }

    // Refuses new connections and drops open ones, as a stopped server would.
    public void Stop()
    {
        running?.Cancel();
        listener?.Stop();
        lock (connections)
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }

            connections.Clear();
        }
    }

    public void Dispose() => Stop();

    private async Task AcceptAsync(TcpListener server, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await server.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = PipeAsync(client, stop);
        }
    }

    private async Task PipeAsync(TcpClient client, CancellationToken stop)
    {
        var upstream = new TcpClient();
        lock (connections)
        {
            connections.Add(client);
            connections.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(targetHost, targetPort, stop);
            await Task.WhenAny(
                client.GetStream().CopyToAsync(upstream.GetStream(), stop),
                upstream.GetStream().CopyToAsync(client.GetStream(), stop));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut connection ends here; the app sees it as the server going away.
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }
}
