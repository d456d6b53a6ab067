namespace ChatMvc.Cli;

// What the client reads from and writes to, so it runs the same as a process and inside another program.
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    public required Func<string, string?> Variable { get; init; }

    // A terminal on standard output gets colours and tables; anything else gets plain lines.
    public bool OutputIsTerminal { get; init; }

    public bool InputIsTerminal { get; init; }

    // The process's own console: Ctrl+C ends a command through its cancellation token.
    public bool IsProcess { get; init; }

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        Variable = Environment.GetEnvironmentVariable,
        OutputIsTerminal = !Console.IsOutputRedirected,
        InputIsTerminal = !Console.IsInputRedirected,
        IsProcess = true,
    };
}
