using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using ChatMvc.Tests.Api;

namespace ChatMvc.Tests.Cli;

// `chat` alone in a real terminal: Debian's tmux runs the built client, keys go in with send-keys and the screen
// is read with capture-pane.
public sealed class CliTerminalTests(CliApp app) : IClassFixture<CliApp>
{
    [Fact]
    public async Task The_interactive_session_picks_a_conversation_with_the_keyboard_sends_and_receives_live()
    {
        using var bo = await new CliUser(app, "Bo Keyboard").RegisteredAsync();
        using var ann = await ApiSteps.NewApiUserAsync(app.NewHttpClient(), "Ann Browser");
        var id = await ann.StartConversationAsync(null, bo.StoredSession().UserId);
        await ann.SendAsync(id, "Hello from the web");
        var variables = new Dictionary<string, string>(bo.Variables) { ["CHAT_PASSWORD"] = string.Empty };
        using var terminal = Tmux.Start(variables, Tmux.Dotnet, Path.Combine(AppContext.BaseDirectory, "chat.dll"));

        await terminal.WaitForAsync(ann.Account.DisplayName);
        terminal.SendKeys("Enter");
        await terminal.WaitForAsync("Hello from the web");
        terminal.Type("Hi from the terminal");
        terminal.SendKeys("Enter");
        await terminal.WaitForAsync($"{bo.Account.DisplayName}: Hi from the terminal");
        await ann.SendAsync(id, "Seen it");
        await terminal.WaitForAsync($"{ann.Account.DisplayName}: Seen it");
        terminal.Type("/quit");
        terminal.SendKeys("Enter");
        await terminal.WaitForExitAsync();

        var stored = await (await ann.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Hello from the web", "Hi from the terminal", "Seen it"], ApiSteps.Bodies(stored));
    }
}

// One tmux server of its own (its own socket), so nothing else on the machine is touched; killed on dispose.
public sealed class Tmux : IDisposable
{
    private readonly string socket = "chat-test-" + Guid.NewGuid().ToString("N")[..8];

    public static string Dotnet => Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    public static Tmux Start(IReadOnlyDictionary<string, string> variables, params string[] command)
    {
        var tmux = new Tmux();
        var arguments = new List<string> { "-f", "/dev/null", "new-session", "-d", "-s", "chat", "-x", "160", "-y", "50" };
        foreach (var (name, value) in variables)
        {
            arguments.AddRange(["-e", $"{name}={value}"]);
        }

        arguments.Add("--");
        arguments.AddRange(command);
        tmux.Run(arguments);
        return tmux;
    }

    // Empty once the client has ended (its session closes with it).
    public string Screen => Run(["capture-pane", "-p", "-J", "-t", "chat", "-S", "-500"], check: false).Output;

    public void SendKeys(string key) => Run(["send-keys", "-t", "chat", key]);

    public void Type(string text) => Run(["send-keys", "-t", "chat", "-l", text]);

    public async Task WaitForAsync(string text)
    {
        // Generous: the machine running the tests may be busy; nothing here is a claim about speed.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var screen = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsRunning)
            {
                Assert.Fail($"The client ended before showing \"{text}\". Last screen:\n{screen}");
            }

            screen = Screen;
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The terminal did not show \"{text}\" within 60 s. Screen:\n{screen}");
    }

    public async Task WaitForExitAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (IsRunning)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The client is still running after /quit. Screen:\n{Screen}");
            await Task.Delay(200);
        }
    }

    public void Dispose() => Run(["kill-server"], check: false);

    private bool IsRunning => Run(["has-session", "-t", "chat"], check: false).ExitCode == 0;

    private (int ExitCode, string Output) Run(IEnumerable<string> arguments, bool check = true)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(socket);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("tmux is not installed (Debian's tmux package): run the tests with scripts/test.sh, which installs it.", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (check && process.ExitCode != 0)
            {
                throw new InvalidOperationException($"tmux {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {error}");
            }

            return (process.ExitCode, output);
        }
    }
}
