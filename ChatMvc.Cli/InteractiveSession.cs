using System.Globalization;
using Spectre.Console;

namespace ChatMvc.Cli;

// `chat` alone: pick a conversation, read it live and type to send, all from the keyboard. In a terminal the list is
// a menu moved with the arrow keys; elsewhere (or with --plain) it is numbered and read as one line.
public sealed class InteractiveSession(Invocation run)
{
    private const string Commands = "Type a message and press Enter to send. /history shows earlier messages, /switch picks another conversation, /quit ends.";

    private Output Output => run.Output;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var api = run.Api;
        _ = api.Session;
        while (!cancellationToken.IsCancellationRequested)
        {
            var list = (await api.GetAsync<ConversationList>("api/v1/conversations", cancellationToken)).Value.Items;
            if (list.Count == 0)
            {
                Output.Line("You have no conversations yet. Start one with: chat start --with PERSON");
                return;
            }

            var picked = await PickAsync(list, cancellationToken);
            if (picked is null || !await ReadAsync(picked, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<ConversationSummary?> PickAsync(IReadOnlyList<ConversationSummary> list, CancellationToken cancellationToken)
    {
        if (Output.Console is { } console && run.Environment.InputIsTerminal)
        {
            var quit = new ConversationSummary(0, string.Empty, "Quit", 0, default, null);
            var prompt = new SelectionPrompt<ConversationSummary>()
                .Title("Pick a conversation (arrow keys, Enter):")
                .PageSize(15)
                .UseConverter(c => ReferenceEquals(c, quit) ? "Quit" : Markup.Escape(Describe(c)))
                .AddChoices(list)
                .AddChoices(quit);
            var choice = await console.PromptAsync(prompt, cancellationToken);
            return ReferenceEquals(choice, quit) ? null : choice;
        }

        for (var i = 0; i < list.Count; i++)
        {
            Output.Line($"{i + 1}. {Describe(list[i])}");
        }

        while (true)
        {
            Output.Line($"Conversation number (1 to {list.Count}), or q to quit:");
            var line = await run.Environment.In.ReadLineAsync(cancellationToken);
            if (line is null || line.Trim() is "q" or "/quit")
            {
                return null;
            }

            if (int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= list.Count)
            {
                return list[number - 1];
            }
        }
    }

    private string Describe(ConversationSummary c) =>
        $"{c.Title} ({(c.Unread == 0 ? "no unread" : $"{c.Unread} unread")}, last activity {Output.Time(c.LastActivityAt)})";

    // False when the person quits, true to pick another conversation.
    private async Task<bool> ReadAsync(ConversationSummary conversation, CancellationToken cancellationToken)
    {
        Output.Line($"— {conversation.Title} —");
        var follower = new Follower(run.Api, Output, conversation.Id, TimeSpan.FromSeconds(2.5));
        var latest = await follower.StartAsync(limit: 20, cancellationToken);
        var oldest = latest.Paging.Older;
        Output.Line(Commands);

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var live = follower.RunAsync(reading.Token);
        try
        {
            while (true)
            {
                var line = await run.Environment.In.ReadLineAsync(cancellationToken);
                switch (line?.Trim())
                {
                    case null or "/quit":
                        return false;
                    case "/switch":
                        return true;
                    case "/help":
                        Output.Line(Commands);
                        break;
                    case "/history":
                        oldest = await EarlierAsync(conversation.Id, oldest, cancellationToken);
                        break;
                    case "":
                        break;
                    default:
                        try
                        {
                            await Messages.SendTextAsync(run.Api, conversation.Id, line, cancellationToken);
                            follower.PollNow();
                        }
                        catch (ChatException e) when (e.ExitCode is not ExitCodes.NotSignedIn)
                        {
                            // Too long, too many, server away: say why and keep the session open.
                            Output.Note($"Not sent: {e.Message}");
                        }

                        break;
                }
            }
        }
        finally
        {
            await reading.CancelAsync();
            await live;
        }
    }

    private async Task<long?> EarlierAsync(long conversationId, long? before, CancellationToken cancellationToken)
    {
        if (before is not { } id)
        {
            Output.Line("— no earlier messages —");
            return null;
        }

        var page = (await run.Api.GetAsync<MessagePage>(
            $"api/v1/conversations/{conversationId}/messages?before={id.ToString(CultureInfo.InvariantCulture)}&limit=20", cancellationToken)).Value;
        Output.Line("— earlier messages —");
        foreach (var message in page.Items)
        {
            Output.Message(message);
        }

        Output.Line("— end of earlier messages —");
        return page.Paging.Older;
    }
}
