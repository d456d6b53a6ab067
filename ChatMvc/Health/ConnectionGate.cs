using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ChatMvc.Health;

// The connection limit, enforced where connections are accepted. Kestrel's own MaxConcurrentConnections refuses a
// connection only once the thread pool runs the work item its accept loop queued for it; in a flood, with the pool
// busy serving the admitted clients, accepted connections waited there by the thousand, each holding a descriptor,
// until the reserve ran out and the runtime aborted ("Out of memory."). Here a connection past the limit is closed
// in the accept loop itself, before the next one is accepted, so the process never holds more than the limit and
// one refused connection; the rest of a flood waits in the kernel's listen queue, which costs the process nothing.
public sealed class ConnectionGate(IOptions<KestrelServerOptions> kestrel)
{
    private readonly long limit = kestrel.Value.Limits.MaxConcurrentConnections ?? long.MaxValue;
    private long open;
    private long refused;

    public long Open => Interlocked.Read(ref open);

    // Connections refused since the last call (RefusedConnectionsLog reports them).
    public long TakeRefused() => Interlocked.Exchange(ref refused, 0);

    public bool TryAdmit()
    {
        if (Interlocked.Increment(ref open) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref open);
        Interlocked.Increment(ref refused);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref open);
}

// Wraps each transport Kestrel would use (sockets here) so that its listeners accept through the gate.
public sealed class GatedListenerFactory(IConnectionListenerFactory transport, ConnectionGate gate)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new GatedListener(await transport.BindAsync(endpoint, cancellationToken), gate);

    public bool CanBind(EndPoint endpoint) => transport is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);
}

public sealed class GatedListener(IConnectionListener transport, ConnectionGate gate) : IConnectionListener
{
    public EndPoint EndPoint => transport.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (await transport.AcceptAsync(cancellationToken) is { } connection)
        {
            if (gate.TryAdmit())
            {
                return new AdmittedConnection(connection, gate);
            }

            // Abort closes the socket now; waiting for the rest of its teardown before accepting again keeps a flood
            // in the listen queue rather than in this process.
            try
            {
                connection.Abort(new ConnectionAbortedException("The limit of connections at once was reached."));
                await connection.DisposeAsync();
            }
            catch (Exception)
            {
                // A refused connection that fails to close is refused all the same. Letting the failure out would end
                // Kestrel's accept loop, and no client would get in again until the app restarted.
            }
        }

        return null;
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => transport.UnbindAsync(cancellationToken);

    public ValueTask DisposeAsync() => transport.DisposeAsync();

    // The transport's connection as Kestrel sees it, giving its place back when Kestrel disposes it (after the
    // socket is closed).
    private sealed class AdmittedConnection(ConnectionContext inner, ConnectionGate gate) : ConnectionContext
    {
        private int left;

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

        public override IFeatureCollection Features => inner.Features;

        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }

        public override IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }

        public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }

        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }

        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync();
            }
            finally
            {
                if (Interlocked.Exchange(ref left, 1) == 0)
                {
                    gate.Leave();
                }
            }
        }
    }
}
