using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

// Load for what wrk cannot do; run by bench/run.sh. Each command prints one line
//   RESULT key=value ...
// that the script parses. Sessions come from a file, one per line: "cookie header<TAB>path or conversation id".
//
//   pollers  --base URL --sessions FILE --clients N --interval S --duration S [--warmup S] [--timeline 1]
//       N clients, each on its own connection, each polling its path every S seconds (a random phase
//       apart), like N open chat windows. The first round (or --warmup seconds) opens the connections and
//       is not measured.
//       --timeline 1 adds started_ms= (the run's start, Unix milliseconds) and errors_by_second= (second
//       since the start when the failed poll was sent:errors, for each second that had any, whichever
//       round), for bench/run.sh's fault mode to count errors inside and outside a window) and
//       slowest_by_second= (second sent:slowest answer in ms, for each second whose slowest took over 1 s).
//       Every run counts clients_clean= (clients none of whose measured polls failed) and clients_refused= (clients
//       all of whose measured polls failed: in a flood, those the app turned away). --latencies FILE writes each
//       measured poll's latency in ms, one a line, so runs of several processes can be combined (one process
//       holds at most as many connections as its open-file limit).
//   send     --base URL --sessions FILE --rate R --duration S [--mention 1]
//       R sends a second, spread over the sessions (each "cookie<TAB>conversation id<TAB>a member's name"), open
//       loop: a send's latency runs from when it was due, so a stalled server cannot hide behind a slowed client.
//       Each session sends one message at a time, as a tab does; a send due while its session's last is in flight waits.
//       --mention 1 starts every message with "@" and the session's member name, so each send stores a mention.
//   send-max --base URL --sessions FILE --concurrency C --duration S
//       C senders back to back: the highest rate the app sustains.
var command = args.Length > 0 ? args[0] : string.Empty;
var options = Options.Parse(args.Skip(1).ToArray());
try
{
    var result = command switch
    {
        "pollers" => await Pollers.RunAsync(options),
        "send" => await Senders.RunFixedRateAsync(options),
        "send-max" => await Senders.RunMaxRateAsync(options),
        _ => throw new ArgumentException($"Unknown command '{command}': use pollers, send or send-max."),
    };
    Console.WriteLine(result);
    return 0;
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or HttpRequestException)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 2;
}

internal sealed class Options
{
    private readonly Dictionary<string, string> values;

    private Options(Dictionary<string, string> values) => this.values = values;

    public Uri BaseUri => new(Text("base"));

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Options(values);
    }

    public bool Has(string name) => values.ContainsKey(name);

    public string Text(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public double Number(string name, double fallback) =>
        values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<(string Cookie, string Target)> Sessions()
    {
        var sessions = File.ReadAllLines(Text("sessions"))
            .Where(line => line.Contains('\t'))
            .Select(line => (Cookie: line[..line.IndexOf('\t')], Target: line[(line.IndexOf('\t') + 1)..].Trim()))
            .ToList();
        return sessions.Count > 0 ? sessions : throw new InvalidOperationException("The sessions file has no sessions.");
    }
}

// Latencies of one run and what went wrong, summarised as one RESULT line.
internal sealed class Recorder
{
    private readonly List<double> latencies = [];
    private readonly Lock gate = new();
    private long errors;
    private string? firstError;

    public void Ok(double milliseconds)
    {
        lock (gate)
        {
            latencies.Add(milliseconds);
        }
    }

    public void Error(string what)
    {
        Interlocked.Increment(ref errors);
        Interlocked.CompareExchange(ref firstError, what, null);
    }

    public string Summary(double seconds, params (string Key, object Value)[] extra)
    {
        double[] sorted;
        lock (gate)
        {
            sorted = [.. latencies.Order()];
        }

        var fields = new List<(string Key, object Value)>
        {
            ("requests", sorted.Length),
            ("errors", Interlocked.Read(ref errors)),
            ("rps", sorted.Length / seconds),
            ("p50_ms", Percentile(sorted, 50)),
            ("p99_ms", Percentile(sorted, 99)),
            ("max_ms", sorted.Length == 0 ? 0 : sorted[^1]),
        };
        fields.AddRange(extra);
        var line = "RESULT " + string.Join(' ', fields.Select(f => $"{f.Key}={Format(f.Value)}"));
        return firstError is null ? line : $"{line} first_error=\"{firstError.Replace('"', '\'')}\"";
    }

    public void WriteLatencies(string path)
    {
        lock (gate)
        {
            File.WriteAllLines(path, latencies.Select(ms => ms.ToString("0.###", CultureInfo.InvariantCulture)));
        }
    }

    private static double Percentile(double[] sorted, double percent) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}

internal static class Http
{
    // One connection per client, as a browser tab keeps its own; cookies are sent as a fixed header.
    public static HttpClient Client(Uri baseUri, int connections = 1, IPAddress? source = null) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = source is null ? null : (context, cancellation) => ConnectFromAsync(source, context.DnsEndPoint, cancellation),
    })
    {
        BaseAddress = baseUri,
        Timeout = TimeSpan.FromSeconds(10),
    };

    // Thousands of clients on one machine, all from 127.0.0.1 to one port, crowd a single address's ephemeral ports:
    // with 20,000 of them in use, each new connection's port search in the kernel walks the used ones, and in a flood
    // (2,000 refused clients connecting again every 3 s) that search, in the clients' own threads, took a fifth of the
    // two cores the app shares with them. Real clients come from many addresses; pollers of a loopback app do the
    // same, each from an address of its own in 127.0.0.0/8 (every one of them is this machine's).
    public static IPAddress? LoopbackSource(Uri baseUri) =>
        IPAddress.TryParse(baseUri.Host, out var host) && IPAddress.IsLoopback(host) && host.AddressFamily == AddressFamily.InterNetwork
            ? new IPAddress([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)])
            : null;

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, DnsEndPoint target, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect, for this address and the target, not at bind.
            socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(target, cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    public static HttpRequestMessage Request(HttpMethod method, string path, string cookie)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        request.Headers.TryAddWithoutValidation("HX-Request", "true");
        return request;
    }
}

internal static class Pollers
{
    public static async Task<string> RunAsync(Options options)
    {
        var sessions = options.Sessions();
        var count = (int)options.Number("clients", 1000);
        var interval = TimeSpan.FromSeconds(options.Number("interval", 3));
        var duration = TimeSpan.FromSeconds(options.Number("duration", 30));
        var recorder = new Recorder();
        var statuses = new long[600];
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(options.Number("warmup", interval.TotalSeconds));
        var measureUntil = measureFrom + duration;
        var timeline = options.Number("timeline", 0) > 0;
        var startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var errorsBySecond = new long[(int)measureUntil.TotalSeconds + 30];
        var slowestBySecond = new long[errorsBySecond.Length];
        long clean = 0, refused = 0;

        var clients = Enumerable.Range(0, count).Select(i => PollAsync(i)).ToList();
        await Task.WhenAll(clients);
        var others = statuses.Select((n, status) => (n, status)).Where(s => s.n > 0 && s.status is not (200 or 204))
            .Select(s => $"{s.status}:{s.n}");
        var fields = new List<(string Key, object Value)>
        {
            ("clients", count),
            ("status_204", statuses[204]),
            ("status_200", statuses[200]),
            ("other_statuses", string.Join(',', others) is { Length: > 0 } o ? o : "none"),
            ("clients_clean", clean),
            ("clients_refused", refused),
        };
        if (timeline)
        {
            var seconds = errorsBySecond.Select((n, second) => (n, second)).Where(e => e.n > 0).Select(e => $"{e.second}:{e.n}");
            fields.Add(("started_ms", startedMs));
            fields.Add(("errors_by_second", string.Join(',', seconds) is { Length: > 0 } t ? t : "none"));
            var slow = slowestBySecond.Select((ms, second) => (ms, second)).Where(e => e.ms > 1000).Select(e => $"{e.second}:{e.ms}");
            fields.Add(("slowest_by_second", string.Join(',', slow) is { Length: > 0 } w ? w : "none"));
        }

        if (options.Has("latencies"))
        {
            recorder.WriteLatencies(options.Text("latencies"));
        }

        return recorder.Summary(duration.TotalSeconds, [.. fields]);

        // Counted at the second the failed poll was sent: a poll sent while Redis was down that timed out
        // 10 s later belongs to the outage.
        void Failed(string what, TimeSpan sent)
        {
            recorder.Error(what);
            Interlocked.Increment(ref errorsBySecond[Math.Clamp((int)sent.TotalSeconds, 0, errorsBySecond.Length - 1)]);
        }

        void Slowest(double ms, TimeSpan sent)
        {
            ref var slot = ref slowestBySecond[Math.Clamp((int)sent.TotalSeconds, 0, slowestBySecond.Length - 1)];
            var value = (long)ms;
            for (var seen = Interlocked.Read(ref slot); value > seen; seen = Interlocked.Read(ref slot))
            {
                if (Interlocked.CompareExchange(ref slot, value, seen) == seen)
                {
                    break;
                }
            }
        }

        async Task PollAsync(int index)
        {
            var (cookie, path) = sessions[index % sessions.Count];
            using var client = Http.Client(options.BaseUri, source: Http.LoopbackSource(options.BaseUri));
            var phase = interval * Random.Shared.NextDouble();
            int polled = 0, failed = 0;
            for (var due = phase; due < measureUntil; due += interval)
            {
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var measured = due >= measureFrom;
                var started = clock.Elapsed;
                polled += measured ? 1 : 0;
                try
                {
                    using var response = await client.SendAsync(Http.Request(HttpMethod.Get, path, cookie));
                    await response.Content.LoadIntoBufferAsync();
                    var status = (int)response.StatusCode;
                    if (measured)
                    {
                        Interlocked.Increment(ref statuses[Math.Clamp(status, 0, statuses.Length - 1)]);
                    }

                    if (status is 200 or 204)
                    {
                        if (measured)
                        {
                            var ms = (clock.Elapsed - started).TotalMilliseconds;
                            recorder.Ok(ms);
                            Slowest(ms, started);
                        }
                    }
                    else
                    {
                        Failed($"HTTP {status} for {path}", started);
                        failed += measured ? 1 : 0;
                    }
                }
                // A connection the app turns away at its limit is reset as soon as it is accepted, and the client can
                // meet that as a bare SocketException while it is still connecting.
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or SocketException)
                {
                    Failed(e.Message, started);
                    failed += measured ? 1 : 0;
                }
            }

            if (failed == 0)
            {
                Interlocked.Increment(ref clean);
            }
            else if (failed == polled)
            {
                Interlocked.Increment(ref refused);
            }
        }
    }
}

internal static partial class Senders
{
    public static async Task<string> RunFixedRateAsync(Options options)
    {
        var senders = await SetUpAsync(options, connections: 4);
        var rate = options.Number("rate", 200);
        var total = (int)(rate * options.Number("duration", 20));
        await WarmUpAsync(senders);

        var recorder = new Recorder();
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            WaitUntil(clock, due);
            var sender = senders[i % senders.Count];
            inFlight.Add(Task.Run(async () =>
            {
                // A tab sends one message at a time (the composer's hx-sync queues the next), so each send carries
                // the cursor the previous one brought back; the wait in the queue counts, as time from the send's due time.
                if (await sender.SendInTurnAsync() is { } error)
                {
                    recorder.Error(error);
                }
                else
                {
                    recorder.Ok((clock.Elapsed - due).TotalMilliseconds);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        var seconds = total / rate;
        return recorder.Summary(seconds, ("target_rate", rate), ("senders", senders.Count), ("achieved_rate", total / clock.Elapsed.TotalSeconds));
    }

    public static async Task<string> RunMaxRateAsync(Options options)
    {
        var senders = await SetUpAsync(options, connections: 1);
        var concurrency = (int)options.Number("concurrency", 32);
        var duration = TimeSpan.FromSeconds(options.Number("duration", 10));
        await WarmUpAsync(senders);

        var recorder = new Recorder();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var sender = senders[worker % senders.Count];
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                if (await sender.SendAsync() is { } error)
                {
                    recorder.Error(error);
                }
                else
                {
                    recorder.Ok((clock.Elapsed - started).TotalMilliseconds);
                }
            }
        });
        await Task.WhenAll(workers);
        return recorder.Summary(clock.Elapsed.TotalSeconds, ("concurrency", concurrency), ("senders", senders.Count));
    }

    private static async Task<List<Sender>> SetUpAsync(Options options, int connections)
    {
        var senders = new List<Sender>();
        var mentions = options.Number("mention", 0) == 1;
        foreach (var (cookie, target) in options.Sessions())
        {
            var parts = target.Split('\t');
            var conversation = parts[0];
            var mention = mentions ? (parts.Length > 1 ? parts[1] : throw new InvalidOperationException("--mention 1 needs a member's name in the sessions file's third column.")) : null;
            var client = Http.Client(options.BaseUri, connections);
            using var page = await client.SendAsync(Http.Request(HttpMethod.Get, $"/conversations/{conversation}", cookie));
            var html = await page.Content.ReadAsStringAsync();
            if (!page.IsSuccessStatusCode || TokenField().Match(html) is not { Success: true } token)
            {
                throw new InvalidOperationException($"The chat window of conversation {conversation} answered {(int)page.StatusCode} without a composer.");
            }

            var sender = new Sender(client, cookie, conversation, token.Groups[1].Value, mention);
            sender.Follow(html);
            senders.Add(sender);
        }

        return senders;
    }

    // Opens the connections and warms the app's code paths before anything is measured.
    private static async Task WarmUpAsync(List<Sender> senders)
    {
        foreach (var sender in senders)
        {
            if (await sender.SendAsync() is { } error)
            {
                throw new InvalidOperationException($"A warm-up send failed: {error}");
            }
        }
    }

    private static void WaitUntil(Stopwatch clock, TimeSpan due)
    {
        while (clock.Elapsed < due)
        {
            if (due - clock.Elapsed > TimeSpan.FromMilliseconds(2))
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.SpinWait(50);
            }
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"after\" value=\"(\\d+)\"")]
    private static partial Regex AfterField();

    [GeneratedRegex("name=\"v\" value=\"(\\d+)\"")]
    private static partial Regex CounterField();

    // One person sending from one window: keeps the window's cursor as the app hands it back, as htmx does.
    private sealed class Sender(HttpClient client, string cookie, string conversation, string token, string? mention)
    {
        private static long sequence;
        private readonly SemaphoreSlim turn = new(1, 1);
        private long after;
        private long counter;

        public async Task<string?> SendInTurnAsync()
        {
            await turn.WaitAsync();
            try
            {
                return await SendAsync();
            }
            finally
            {
                turn.Release();
            }
        }

        public void Follow(string html)
        {
            if (AfterField().Match(html) is { Success: true } a)
            {
                Interlocked.Exchange(ref after, Math.Max(Interlocked.Read(ref after), long.Parse(a.Groups[1].Value, CultureInfo.InvariantCulture)));
            }

            if (CounterField().Match(html) is { Success: true } v)
            {
                Interlocked.Exchange(ref counter, long.Parse(v.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        // Null when the message was stored and the window update came back; otherwise what went wrong.
        public async Task<string?> SendAsync()
        {
            var n = Interlocked.Increment(ref sequence);
            var request = Http.Request(HttpMethod.Post, $"/conversations/{conversation}/messages", cookie);
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Body"] = mention is null
                    ? $"Bench message {n}: the quick brown fox jumps over the lazy dog."
                    : $"@{mention} bench message {n}: the quick brown fox jumps over the lazy dog.",
                ["ClientMessageId"] = Guid.NewGuid().ToString("N"),
                ["After"] = Interlocked.Read(ref after).ToString(CultureInfo.InvariantCulture),
                ["V"] = Interlocked.Read(ref counter).ToString(CultureInfo.InvariantCulture),
            });
            try
            {
                using var response = await client.SendAsync(request);
                var html = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    return $"HTTP {(int)response.StatusCode} sending to conversation {conversation}";
                }

                Follow(html);
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or SocketException)
            {
                return e.Message;
            }
        }
    }
}
