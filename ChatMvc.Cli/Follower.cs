using System.Globalization;

namespace ChatMvc.Cli;

// Polls a conversation with the `after` cursor the way the chat window does: an idle poll is answered from the
// server's cache. The cursor only moves forward, so a poll repeated after a dropped connection or a restarted
// server prints nothing twice; edits and deletions come with the change `version`.
public sealed class Follower(ChatApi api, Output output, long conversationId, TimeSpan interval)
{
    private readonly SemaphoreSlim wake = new(0);

    // What each printed message looked like, so an edit or deletion reported again is not printed again.
    private readonly Dictionary<long, (DateTimeOffset? EditedAt, bool Deleted)> seen = [];

    private long after;
    private long? version;

    // Shows the newest messages (none when limit is 0) and sets the cursor after them.
    public async Task<MessagePage> StartAsync(int limit, CancellationToken cancellationToken)
    {
        var latest = await api.GetAsync<MessagePage>(Path($"limit={Math.Max(limit, 1)}"), cancellationToken);
        if (limit > 0)
        {
            Print(latest.Value.Items, latest.Json);
        }

        after = latest.Value.Paging.Newer ?? latest.Value.Items.LastOrDefault()?.Id ?? 0;
        version = latest.Value.Paging.Version;
        return latest.Value;
    }

    // Polls at once instead of at the next interval: after sending, to show the message sent.
    public void PollNow() => wake.Release();

    // Until cancelled. A refusal (removed from the conversation, signed out) ends it with its exit code; a server
    // that cannot be reached or fails is retried, said once on standard error, and said again when it is back.
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failing = false;
        var delay = interval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var full = await PollAsync(cancellationToken);
                if (failing)
                {
                    output.Note($"Reconnected to {api.Server}.");
                    failing = false;
                }

                delay = interval;
                if (full)
                {
                    continue;
                }
            }
            catch (ChatException e) when (e.ExitCode is ExitCodes.Unreachable or ExitCodes.ServerError)
            {
                if (!failing)
                {
                    output.Note($"{e.Message} Retrying until it answers (Ctrl+C to stop).");
                    failing = true;
                }

                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, TimeSpan.FromSeconds(10).TotalMilliseconds));
            }

            await WaitAsync(delay, cancellationToken);
        }
    }

    // True when the page was full, so more are waiting.
    private async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        var query = $"after={after}&limit=100" + (version is { } v ? $"&version={v.ToString(CultureInfo.InvariantCulture)}" : string.Empty);
        var answer = await api.GetAsync<MessagePage>(Path(query), cancellationToken);
        var page = answer.Value;
        var fresh = page.Items.Where(m => m.Id > after).ToList();
        var changed = (page.Changed ?? []).Where(IsNewState).ToList();
        if (output.Mode == OutputMode.Json)
        {
            foreach (var message in changed.Concat(fresh))
            {
                output.Json(System.Text.Json.JsonSerializer.Serialize(message, JsonOptions));
                Remember(message);
            }
        }
        else
        {
            foreach (var message in changed)
            {
                output.Changed(message);
                Remember(message);
            }

            Print(fresh, json: null);
        }

        after = Math.Max(after, page.Paging.Newer ?? after);
        version = page.Paging.Version ?? version;
        return page.Items.Count == page.Paging.Limit;
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);

    private void Print(IEnumerable<Message> messages, string? json)
    {
        if (output.Mode == OutputMode.Json && json is not null)
        {
            output.Json(json);
            foreach (var message in messages)
            {
                Remember(message);
            }

            return;
        }

        foreach (var message in messages)
        {
            output.Message(message);
            Remember(message);
        }
    }

    private bool IsNewState(Message message) =>
        !seen.TryGetValue(message.Id, out var known) || known != (message.EditedAt, message.Deleted);

    private void Remember(Message message) => seen[message.Id] = (message.EditedAt, message.Deleted);

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await wake.WaitAsync(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop sees the token.
        }
    }

    private string Path(string query) => $"api/v1/conversations/{conversationId}/messages?{query}";
}
