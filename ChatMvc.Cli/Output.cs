using System.Globalization;
using Spectre.Console;

namespace ChatMvc.Cli;

public enum OutputMode
{
    // Colours and tables, for a person at a terminal.
    Rich,

    // One line per thing, never redrawn: for screen readers, logs and pipes.
    Plain,

    // The API's JSON as it came, for scripts.
    Json,
}

// Everything a command shows. Notes (hints, connection trouble) go to standard error so standard output holds only
// what was asked for.
public sealed class Output
{
    private readonly CliEnvironment environment;
    private readonly IAnsiConsole? console;
    private readonly object gate = new();

    public Output(CliEnvironment environment, OutputMode mode)
    {
        this.environment = environment;
        Mode = mode;
        if (mode == OutputMode.Rich)
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(environment.Out) });
        }
    }

    public OutputMode Mode { get; }

    public IAnsiConsole? Console => console;

    public void Json(string json) => Write(() => environment.Out.WriteLine(json.Trim()));

    public void Line(string text) => Write(() =>
    {
        if (console is null)
        {
            environment.Out.WriteLine(text);
        }
        else
        {
            console.WriteLine(text);
        }
    });

    public void Note(string text) => Write(() => environment.Error.WriteLine(text));

    public string Time(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, environment.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public void Message(Message message)
    {
        var what = message switch
        {
            { Deleted: true } => "(message deleted)",
            { Image: { } photo } => $"[photo: {photo.Alt}]{(string.IsNullOrEmpty(message.Body) ? string.Empty : " " + message.Body)}",
            { Attachment: { Name: { } name } file } => $"[{file.Kind}: {name}]{(string.IsNullOrEmpty(message.Body) ? string.Empty : " " + message.Body)}",
            _ => message.Body ?? string.Empty,
        };
        if (message.EditedAt is not null && !message.Deleted)
        {
            what += " (edited)";
        }

        if (message.Kind == "system")
        {
            Said(message.CreatedAt, "*", what, "grey");
        }
        else
        {
            Said(message.CreatedAt, message.Sender.DisplayName + ":", what, "bold");
        }
    }

    // An earlier message edited or deleted: said as a new line, since plain output never rewrites one.
    public void Changed(Message message)
    {
        if (message.Deleted)
        {
            Said(message.CreatedAt, message.Sender.DisplayName, "deleted a message", "bold");
        }
        else
        {
            Said(message.CreatedAt, message.Sender.DisplayName, "edited a message: " + (message.Body ?? string.Empty), "bold");
        }
    }

    public void Conversations(IReadOnlyList<ConversationSummary> conversations)
    {
        if (conversations.Count == 0)
        {
            Line("You have no conversations yet. Start one with: chat start --with PERSON");
            return;
        }

        if (console is null)
        {
            foreach (var c in conversations)
            {
                Line($"{c.Id}  {c.Title}  {(c.Unread == 0 ? "no unread" : $"{c.Unread} unread")}  last activity {Time(c.LastActivityAt)}");
            }

            return;
        }

        var table = new Table().AddColumns("Id", "Title", "Unread", "Last activity");
        foreach (var c in conversations)
        {
            table.AddRow(
                c.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Title), c.Unread.ToString(CultureInfo.InvariantCulture), Time(c.LastActivityAt));
        }

        Write(() => console.Write(table));
    }

    private void Said(DateTimeOffset at, string who, string what, string style)
    {
        // Continuation lines are indented so each message still starts at the left edge.
        what = what.ReplaceLineEndings("\n").Replace("\n", "\n    ", StringComparison.Ordinal);
        if (console is null)
        {
            Line($"{Time(at)} {who} {what}");
        }
        else
        {
            Write(() => console.MarkupLine($"[grey]{Time(at)}[/] [{style}]{Markup.Escape(who)}[/] {Markup.Escape(what)}"));
        }
    }

    // Live updates print from another task while the interactive session reads input.
    private void Write(Action write)
    {
        lock (gate)
        {
            write();
            environment.Out.Flush();
        }
    }
}
