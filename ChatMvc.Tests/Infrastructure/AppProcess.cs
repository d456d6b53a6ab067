using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatMvc.Tests.Infrastructure;

// The app as its own operating-system process (the built ChatMvc.dll), for tests about several instances
// and about being killed. Output is kept so a failure can show it.
public sealed class AppProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    // openFileLimit: started under that open-file limit (soft and hard), as a server configured with a low one.
    public AppProcess(IReadOnlyDictionary<string, string> settings, long? openFileLimit = null)
    {
        Port = FreePort();
        var start = StartInfo(settings, []);
        if (openFileLimit is { } limit)
        {
            start.ArgumentList.Insert(0, start.FileName);
            start.ArgumentList.Insert(0, "--");
            start.ArgumentList.Insert(0, $"--nofile={limit}:{limit}");
            start.FileName = "prlimit";
        }

        start.Environment["ASPNETCORE_URLS"] = BaseUrl;
        if (!settings.ContainsKey("App:PublicUrl"))
        {
            start.Environment["App__PublicUrl"] = BaseUrl;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("The app process did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseUrl),
        };

    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The app was not healthy within {timeout.TotalSeconds} s:\n{Output}");
    }

    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    // Runs the app's command line (`migrate`, `backup FILE`, ...) to its end.
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(settings, arguments))
            ?? throw new InvalidOperationException("The app process did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ChatMvc.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Production will not start without the address links in mail point to.
        start.Environment["App__PublicUrl"] = "http://127.0.0.1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }

        return start;
    }

    // A port below the kernel's ephemeral range (32768 and up by default): a port the kernel hands out for port 0
    // is also what it hands every outgoing connection, and with other test runs busy on the machine one of those
    // took it between choosing and binding ("address already in use"). Only another listener can take these.
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(10_000, 32_000);
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
            finally
            {
                listener.Stop();
            }
        }

        throw new InvalidOperationException("No free port between 10000 and 32000 on 127.0.0.1.");
    }
}
