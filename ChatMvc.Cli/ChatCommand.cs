using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;

namespace ChatMvc.Cli;

// The `chat` command line: System.CommandLine parses and writes help; each command is a few calls to the API.
public static class ChatCommand
{
    public static Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var root = Build(environment);
        var configuration = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            // Every failure is caught and said in Run; this only guards against a bug printing a stack trace.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = environment.IsProcess ? TimeSpan.FromSeconds(2) : null,
        };
        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand Build(CliEnvironment environment)
    {
        var options = new GlobalOptions();
        var root = new RootCommand(
            "A terminal client for ChatMvc. Run chat alone for an interactive session.\n\n"
            + "Environment: CHAT_SERVER (the server's address), CHAT_PASSWORD (for scripts instead of the prompt), "
            + "XDG_CONFIG_HOME (the session is kept in $XDG_CONFIG_HOME/chatmvc, else ~/.config/chatmvc).\n\n"
            + ExitCodes.Help);
        root.Options.Add(options.Server);
        root.Options.Add(options.Json);
        root.Options.Add(options.Plain);
        root.SetAction(Run(environment, options, (run, token) => new InteractiveSession(run).RunAsync(token)));

        root.Subcommands.Add(Register(environment, options));
        root.Subcommands.Add(Login(environment, options));
        root.Subcommands.Add(Logout(environment, options));
        root.Subcommands.Add(Conversations(environment, options));
        root.Subcommands.Add(Start(environment, options));
        root.Subcommands.Add(Group(environment, options));
        root.Subcommands.Add(Join(environment, options));
        root.Subcommands.Add(Leave(environment, options));
        root.Subcommands.Add(Send(environment, options));
        root.Subcommands.Add(History(environment, options));
        root.Subcommands.Add(Follow(environment, options));
        return root;
    }

    private static Command Register(CliEnvironment environment, GlobalOptions options)
    {
        var email = new Option<string>("--email") { Description = "Your email address", Required = true };
        var name = new Option<string>("--name") { Description = "The name others see", Required = true };
        var command = new Command("register", "Create an account and sign in (password from a hidden prompt, or CHAT_PASSWORD)") { email, name };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var address = run.Parse.GetRequiredValue(email);
            var password = run.Password(confirm: true);
            var registered = await run.Api.PostAnonymousAsync<Me>(
                "api/v1/auth/register", new { email = address, password, displayName = run.Parse.GetRequiredValue(name) }, token);
            await run.Api.LoginAsync(address, password, twoFactorCode: null, token);
            Say(run, registered.Json, $"Registered and signed in as {registered.Value.DisplayName} <{address}> on {run.Api.Server}.");
        }));
        return command;
    }

    private static Command Login(CliEnvironment environment, GlobalOptions options)
    {
        var email = new Option<string>("--email") { Description = "Your email address", Required = true };
        var code = new Option<string?>("--code") { Description = "The code from your authenticator app, if the account uses two-factor sign-in" };
        var command = new Command("login", "Sign in (password from a hidden prompt, or CHAT_PASSWORD); the session is kept until chat logout") { email, code };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var address = run.Parse.GetRequiredValue(email);
            var me = await run.Api.LoginAsync(address, run.Password(confirm: false), run.Parse.GetValue(code), token);
            Say(run, me.Json, $"Signed in as {me.Value.DisplayName} <{address}> on {run.Api.Server}.");
        }));
        return command;
    }

    private static Command Logout(CliEnvironment environment, GlobalOptions options)
    {
        var command = new Command("logout", "Forget the stored session on this computer");
        command.SetAction(Run(environment, options, (run, _) =>
        {
            var existed = run.Store.Delete();
            Say(run, $$"""{"signedOut":{{(existed ? "true" : "false")}}}""", existed ? "Signed out: the stored session is gone." : "You were not signed in.");
            return Task.CompletedTask;
        }));
        return command;
    }

    private static Command Conversations(CliEnvironment environment, GlobalOptions options)
    {
        var command = new Command("conversations", "List your conversations: id, title, unread messages, last activity");
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var list = await run.Api.GetAsync<ConversationList>("api/v1/conversations", token);
            if (run.Mode == OutputMode.Json)
            {
                run.Output.Json(list.Json);
            }
            else
            {
                run.Output.Conversations(list.Value.Items);
            }
        }));
        return command;
    }

    private static Command Start(CliEnvironment environment, GlobalOptions options)
    {
        var with = new Option<string>("--with") { Description = "The person: their email address, user id, or a name only they have", Required = true };
        var command = new Command("start", "Open your direct conversation with someone, starting it if needed") { with };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var person = await People.ResolveAsync(run.Api, run.Parse.GetRequiredValue(with), token);
            var conversation = await run.Api.PostAsync<Conversation>("api/v1/conversations", new { participantIds = new[] { person } }, token);
            Say(run, conversation.Json, $"Conversation {conversation.Value.Id} with {conversation.Value.Title}. Send with: chat send {conversation.Value.Id} TEXT");
        }));
        return command;
    }

    private static Command Group(CliEnvironment environment, GlobalOptions options)
    {
        var title = new Argument<string>("TITLE") { Description = "The group's title" };
        var with = new Option<string>("--with") { Description = "Comma-separated people: email addresses, user ids or names", Required = true };
        var create = new Command("create", "Start a group conversation") { title, with };
        create.SetAction(Run(environment, options, async (run, token) =>
        {
            var people = new List<long>();
            foreach (var who in run.Parse.GetRequiredValue(with).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                people.Add(await People.ResolveAsync(run.Api, who, token));
            }

            var conversation = await run.Api.PostAsync<Conversation>(
                "api/v1/conversations", new { participantIds = people, title = run.Parse.GetRequiredValue(title) }, token);
            Say(run, conversation.Json, $"Group {conversation.Value.Id} \"{conversation.Value.Title}\" with {conversation.Value.Members.Count} members.");
        }));

        var id = new Argument<long>("ID") { Description = "The group's conversation id" };
        var invite = new Command("invite", "Make an invite link to a group you own; others join with chat join URL") { id };
        invite.SetAction(Run(environment, options, async (run, token) =>
        {
            var link = await run.Api.PostAsync<InviteLink>($"api/v1/conversations/{run.Parse.GetValue(id)}/invites", new { }, token);
            Say(run, link.Json, link.Value.Url);
        }));
        return new Command("group", "Group conversations") { create, invite };
    }

    private static Command Join(CliEnvironment environment, GlobalOptions options)
    {
        var invite = new Argument<string>("INVITE_URL") { Description = "The invite link (or just its token)" };
        var command = new Command("join", "Join a group with an invite link") { invite };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var given = run.Parse.GetRequiredValue(invite).Trim();
            var inviteToken = Uri.TryCreate(given, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url.Segments.LastOrDefault()?.Trim('/') ?? string.Empty
                : given;
            if (inviteToken.Length == 0)
            {
                throw new ChatException(ExitCodes.Invalid, $"\"{given}\" is not an invite link: it should end in /invites/TOKEN.");
            }

            var conversation = await run.Api.PostAsync<Conversation>($"api/v1/invites/{Uri.EscapeDataString(inviteToken)}/accept", new { }, token);
            Say(run, conversation.Json, $"Joined \"{conversation.Value.Title}\" (conversation {conversation.Value.Id}).");
        }));
        return command;
    }

    private static Command Leave(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<long>("ID") { Description = "The conversation id" };
        var command = new Command("leave", "Leave a group; a direct conversation is hidden until a new message arrives") { id };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var conversation = await run.Api.GetAsync<Conversation>($"api/v1/conversations/{run.Parse.GetValue(id)}", token);
            if (conversation.Value.Kind == "direct")
            {
                await run.Api.DeleteAsync($"api/v1/conversations/{conversation.Value.Id}", token);
            }
            else
            {
                await run.Api.DeleteAsync($"api/v1/conversations/{conversation.Value.Id}/members/{run.Api.Session.UserId}", token);
            }

            Say(run, conversation.Json, $"Left \"{conversation.Value.Title}\".");
        }));
        return command;
    }

    private static Command Send(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<long>("ID") { Description = "The conversation id" };
        var text = new Argument<string?>("TEXT") { Description = "The message, or - to read it from standard input", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file") { Description = "A file to send: a photo (JPEG, PNG, GIF, WebP) shows as a photo, a video or sound plays, anything else is a download" };
        var caption = new Option<string?>("--text") { Description = "Text to send with the file" };
        var alt = new Option<string?>("--alt") { Description = "A description of the photo for people who cannot see it" };
        var command = new Command("send", "Send a message, a photo or a file; a retried send is never stored twice") { id, text, file, caption, alt };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var conversationId = run.Parse.GetValue(id);
            var body = run.Parse.GetValue(text) is "-" ? (await run.Environment.In.ReadToEndAsync(token)).TrimEnd('\r', '\n') : run.Parse.GetValue(text);
            var photo = run.Parse.GetValue(file);
            Answer<Message> sent;
            if (photo is not null)
            {
                if (body is not null && run.Parse.GetValue(caption) is not null)
                {
                    throw new ChatException(ExitCodes.Invalid, "Give the text once: either as TEXT or with --text.");
                }

                sent = await Messages.SendFileAsync(run.Api, conversationId, photo, body ?? run.Parse.GetValue(caption), run.Parse.GetValue(alt), token);
            }
            else if (body is not null)
            {
                sent = await Messages.SendTextAsync(run.Api, conversationId, body, token);
            }
            else
            {
                throw new ChatException(ExitCodes.Invalid, "Nothing to send: give the TEXT, - to read it from standard input, or --file PATH.");
            }

            if (run.Mode == OutputMode.Json)
            {
                run.Output.Json(sent.Json);
            }
            else
            {
                run.Output.Message(sent.Value);
            }
        }));
        return command;
    }

    private static Command History(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<long>("ID") { Description = "The conversation id" };
        var before = new Option<long?>("--before") { Description = "Show the messages before this message id (the hint at the end gives it)" };
        var limit = new Option<int>("--limit") { Description = "How many messages, 1 to 100", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "Show a conversation's messages, oldest first") { id, before, limit };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var conversationId = run.Parse.GetValue(id);
            var query = $"limit={run.Parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)}"
                + (run.Parse.GetValue(before) is { } b ? $"&before={b.ToString(CultureInfo.InvariantCulture)}" : string.Empty);
            var page = await run.Api.GetAsync<MessagePage>($"api/v1/conversations/{conversationId}/messages?{query}", token);
            if (run.Mode == OutputMode.Json)
            {
                run.Output.Json(page.Json);
                return;
            }

            foreach (var message in page.Value.Items)
            {
                run.Output.Message(message);
            }

            if (page.Value.Paging.Older is { } older)
            {
                run.Output.Note($"Older messages: chat history {conversationId} --before {older}");
            }
        }));
        return command;
    }

    private static Command Follow(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<long>("ID") { Description = "The conversation id" };
        var interval = new Option<double>("--interval") { Description = "Seconds between checks for news", DefaultValueFactory = _ => 2.5 };
        var command = new Command("follow", "Print new messages, edits and deletions as they arrive, until Ctrl+C") { id, interval };
        command.SetAction(Run(environment, options, async (run, token) =>
        {
            var seconds = run.Parse.GetValue(interval);
            if (seconds is < 0.2 or > 3600)
            {
                throw new ChatException(ExitCodes.Invalid, "--interval must be between 0.2 and 3600 seconds.");
            }

            var follower = new Follower(run.Api, run.Output, run.Parse.GetValue(id), TimeSpan.FromSeconds(seconds));
            await follower.StartAsync(limit: 0, token);
            run.Output.Note($"Following conversation {run.Parse.GetValue(id)}; Ctrl+C to stop.");
            await follower.RunAsync(token);
        }));
        return command;
    }

    private static void Say(Invocation run, string json, string text)
    {
        if (run.Mode == OutputMode.Json)
        {
            run.Output.Json(json);
        }
        else
        {
            run.Output.Line(text);
        }
    }

    // Every command's failure is one line on standard error and its exit code; Ctrl+C is a normal end.
    private static Func<ParseResult, CancellationToken, Task<int>> Run(
        CliEnvironment environment, GlobalOptions options, Func<Invocation, CancellationToken, Task> action) => async (parse, cancellationToken) =>
    {
        using var run = new Invocation(parse, environment, options);
        try
        {
            await action(run, cancellationToken);
            return ExitCodes.Ok;
        }
        catch (ChatException e)
        {
            environment.Error.WriteLine($"chat: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (IOException e)
        {
            environment.Error.WriteLine($"chat: {e.Message}");
            return ExitCodes.Invalid;
        }
        catch (UnauthorizedAccessException e)
        {
            environment.Error.WriteLine($"chat: {e.Message}");
            return ExitCodes.Invalid;
        }
        catch (Exception e)
        {
            // Most likely an answer that is not the chat API's (a proxy's error page, another program on the port):
            // one line a person can act on, never a stack trace.
            environment.Error.WriteLine($"chat: the server's answer could not be understood ({e.GetType().Name}: {e.Message}). Check --server or CHAT_SERVER, or try again later.");
            return ExitCodes.ServerError;
        }
    };
}

public sealed record InviteLink(string Token, string Url);

// PERSON as the commands take it: a user id, an email address, or a name that matches one person.
public static class People
{
    public static async Task<long> ResolveAsync(ChatApi api, string who, CancellationToken cancellationToken)
    {
        if (long.TryParse(who, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        var found = (await api.GetAsync<PeoplePage>($"api/v1/users?q={Uri.EscapeDataString(who)}&pageSize=10", cancellationToken)).Value.Items;
        return found.Count switch
        {
            1 => found[0].Id,
            0 => throw new ChatException(ExitCodes.NotFound, $"No one matches \"{who}\". Give their email address or user id."),
            _ => throw new ChatException(
                ExitCodes.Invalid,
                $"Several people match \"{who}\": {string.Join(", ", found.Select(p => $"{p.DisplayName} (id {p.Id})"))}. Give the id or email address."),
        };
    }
}

public static class Messages
{
    // A network failure or a server error is retried with the same client message id: the server stores it once.
    public static Task<Answer<Message>> SendTextAsync(ChatApi api, long conversationId, string body, CancellationToken cancellationToken)
    {
        var clientMessageId = Guid.NewGuid().ToString("N");
        return WithRetriesAsync(
            () => api.PostAsync<Message>($"api/v1/conversations/{conversationId}/messages", new { body, clientMessageId }, cancellationToken),
            cancellationToken);
    }

    // A photo (by its extension, or any file sent with --alt) goes to the photo route, which makes it a photo with a
    // description; every other file to the file route.
    public static async Task<Answer<Message>> SendFileAsync(
        ChatApi api, long conversationId, FileInfo file, string? body, string? alt, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new ChatException(ExitCodes.Invalid, $"There is no file {file.FullName}.");
        }

        var route = alt is not null || file.Extension.ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".gif" or ".webp" ? "image" : "file";

        var clientMessageId = Guid.NewGuid().ToString("N");
        return await WithRetriesAsync(
            () => api.SendAsync<Message>(
                () =>
                {
                    var form = new MultipartFormDataContent();
                    var content = new StreamContent(file.OpenRead());
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(content, "file", file.Name);
                    form.Add(new StringContent(clientMessageId), "clientMessageId");
                    if (body is not null)
                    {
                        form.Add(new StringContent(body), "body");
                    }

                    if (alt is not null)
                    {
                        form.Add(new StringContent(alt), "alt");
                    }

                    // The server can refuse a file over its limit before any of it is sent.
                    var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/conversations/{conversationId}/messages/{route}") { Content = form };
                    request.Headers.ExpectContinue = true;
                    return request;
                },
                cancellationToken),
            cancellationToken);
    }

    private static async Task<Answer<Message>> WithRetriesAsync(Func<Task<Answer<Message>>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (ChatException e) when (e.ExitCode is ExitCodes.Unreachable or ExitCodes.ServerError && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }
}
