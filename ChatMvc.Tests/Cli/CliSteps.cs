using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatMvc.Cli;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Cli;

// The real app over MariaDB and Redis, listening on a port of 127.0.0.1 as the terminal client needs. Posting is
// limited low enough for a test to reach; every other test keeps each person under it.
public sealed class CliApp : ChatAppFactory
{
    public const int PostsPerMinute = 5;

    private readonly Lazy<string> baseUrl;

    public CliApp()
        : base(Engine.MariaDb)
    {
        UseKestrel(0);
        baseUrl = new Lazy<string>(() =>
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return $"http://127.0.0.1:{new Uri(address.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port}";
        });
    }

    public string BaseUrl => baseUrl.Value;

    public HttpClient NewHttpClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:RateLimits:PostingPerMinute"] = PostsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
    }
}

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";

    public JsonElement Json => JsonDocument.Parse(Out).RootElement.Clone();
}

// One person at a terminal: their own config folder (so their own session file), the server in CHAT_SERVER and the
// password in CHAT_PASSWORD. Commands run in process through the client's entry point, with output captured.
public sealed class CliUser : IDisposable
{
    public CliUser(CliApp app, string displayName)
    {
        Server = app.BaseUrl;
        Account = AccountSteps.NewUser($"{displayName} {Guid.NewGuid().ToString("N")[..6]}");
    }

    public TestUser Account { get; }

    public string Server { get; set; }

    public string? Password { get; set; }

    public string ConfigHome { get; } = Directory.CreateTempSubdirectory("chat-cli-config-").FullName;

    public string SessionFile => Path.Combine(ConfigHome, "chatmvc", "session.json");

    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>
    {
        ["CHAT_SERVER"] = Server,
        ["CHAT_PASSWORD"] = Password ?? Account.Password,
        ["XDG_CONFIG_HOME"] = ConfigHome,
        ["HOME"] = ConfigHome,
    };

    public async Task<CliUser> RegisteredAsync()
    {
        var result = await RunAsync("register", "--email", Account.Email, "--name", Account.DisplayName);
        Assert.True(result.ExitCode == 0, result.ToString());
        return this;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, input: null, CancellationToken.None);

    public async Task<CliResult> RunAsync(
        string[] args, string? input, CancellationToken cancellationToken, CapturedWriter? output = null, CapturedWriter? error = null)
    {
        output ??= new CapturedWriter();
        error ??= new CapturedWriter();
        var variables = Variables;
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader(input ?? string.Empty),
            Variable = name => variables.GetValueOrDefault(name),
        };
        var code = await ChatCommand.RunAsync(args, environment, cancellationToken);
        return new CliResult(code, output.Text, error.Text);
    }

    public async Task<long> StartWithAsync(CliUser other)
    {
        var result = await RunAsync("start", "--with", other.Account.Email, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Json.GetProperty("id").GetInt64();
    }

    public Session StoredSession() => JsonSerializer.Deserialize<Session>(File.ReadAllText(SessionFile), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    public void Store(Session session) => new SessionStore(Path.Combine(ConfigHome, "chatmvc")).Save(session);

    public void Dispose() => Directory.Delete(ConfigHome, recursive: true);
}

// Standard output or error as it is written, readable while a command still runs.
public sealed class CapturedWriter : StringWriter
{
    private readonly object gate = new();

    public string Text
    {
        get
        {
            lock (gate)
            {
                return ToString();
            }
        }
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (gate)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (gate)
        {
            base.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (gate)
        {
            base.Write(buffer, index, count);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (gate)
        {
            base.WriteLine(value);
        }
    }

    // A follow command is polling once it says so.
    public static (Task<CliResult> Run, CapturedWriter Output, CapturedWriter Error) Follow(
        CliUser user, long conversationId, CancellationToken cancellationToken)
    {
        var output = new CapturedWriter();
        var error = new CapturedWriter();
        var run = user.RunAsync(["follow", conversationId.ToString(CultureInfo.InvariantCulture), "--interval", "0.3"], null, cancellationToken, output, error);
        return (run, output, error);
    }

    public static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {timeout.TotalSeconds} s:\n{describe()}");
            await Task.Delay(100);
        }
    }
}

public static class CliApiSteps
{
    public static async Task<JsonElement> PatchJsonAsync(this HttpClient http, string url, object body) =>
        JsonDocument.Parse(await (await http.PatchAsJsonAsync(url, body)).Content.ReadAsStringAsync()).RootElement.Clone();
}
