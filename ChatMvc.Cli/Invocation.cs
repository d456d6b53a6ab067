using System.CommandLine;
using Spectre.Console;

namespace ChatMvc.Cli;

// One run of one command: its options, where it prints, and the API of the server it talks to.
public sealed class Invocation(ParseResult parse, CliEnvironment environment, GlobalOptions options) : IDisposable
{
    private ChatApi? api;
    private Output? output;

    public CliEnvironment Environment => environment;

    public ParseResult Parse => parse;

    public SessionStore Store { get; } = SessionStore.For(environment);

    public Output Output => output ??= new Output(environment, Mode);

    public OutputMode Mode =>
        parse.GetValue(options.Json) ? OutputMode.Json
        : parse.GetValue(options.Plain) || !environment.OutputIsTerminal ? OutputMode.Plain
        : OutputMode.Rich;

    public ChatApi Api => api ??= new ChatApi(Server, Store);

    // --server, else CHAT_SERVER, else the server of the stored session.
    public Uri Server
    {
        get
        {
            var given = parse.GetValue(options.Server) is { Length: > 0 } option ? option
                : environment.Variable("CHAT_SERVER") is { Length: > 0 } variable ? variable
                : Store.Load()?.Server;
            if (given is null)
            {
                throw new ChatException(ExitCodes.Invalid, "Say which chat server to use: --server URL, or set CHAT_SERVER=URL.");
            }

            if (!Uri.TryCreate(given.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ChatException(ExitCodes.Invalid, $"The server address \"{given}\" is not an http:// or https:// URL.");
            }

            return uri;
        }
    }

    // CHAT_PASSWORD for scripts; otherwise asked for without echo, on standard error so output stays clean.
    public string Password(bool confirm)
    {
        if (environment.Variable("CHAT_PASSWORD") is { Length: > 0 } password)
        {
            return password;
        }

        if (!environment.InputIsTerminal)
        {
            throw new ChatException(ExitCodes.Invalid, "No password given: set CHAT_PASSWORD, or run the command in a terminal to be asked for it.");
        }

        var prompt = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(environment.Error) });
        var first = prompt.Prompt(new TextPrompt<string>("Password:").Secret());
        if (confirm && prompt.Prompt(new TextPrompt<string>("Password again:").Secret()) != first)
        {
            throw new ChatException(ExitCodes.Invalid, "The two passwords differ. Run the command again.");
        }

        return first;
    }

    public void Dispose() => api?.Dispose();
}

public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = "The chat server's address, such as https://chat.example.org (default: CHAT_SERVER, then the server you signed in to)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the API's JSON, for scripts", Recursive = true };

    public Option<bool> Plain { get; } = new("--plain")
    {
        Description = "Plain lines that are never redrawn, for screen readers and logs (the default when output is not a terminal)",
        Recursive = true,
    };
}
