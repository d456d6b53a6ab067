using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ChatMvc.Cli;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Cli;

// The terminal client's commands, run in process against the real app on a port of 127.0.0.1.
public sealed class CliTests(CliApp app) : IClassFixture<CliApp>
{
    [Fact]
    public async Task Register_login_start_send_and_history_through_the_commands()
    {
        using var ann = await new CliUser(app, "Ann Terminal").RegisteredAsync();
        using var bo = await new CliUser(app, "Bo Terminal").RegisteredAsync();
        var loggedOut = await ann.RunAsync("logout");
        var fileAfterLogout = File.Exists(ann.SessionFile);
        var signedOut = await ann.RunAsync("conversations");
        var login = await ann.RunAsync("login", "--email", ann.Account.Email);

        var id = await ann.StartWithAsync(bo);
        var again = await ann.RunAsync("start", "--with", bo.Account.Email, "--json");
        var sent = await ann.RunAsync("send", id.ToString(), "Hello Bo");
        var piped = await ann.RunAsync(["send", id.ToString(), "-"], "Read from\nstandard input\n", CancellationToken.None);
        var conversations = await bo.RunAsync("conversations");
        var history = await bo.RunAsync("history", id.ToString());
        var json = await bo.RunAsync("history", id.ToString(), "--json");
        var lastOnly = await bo.RunAsync("history", id.ToString(), "--limit", "1");

        Assert.Equal(0, loggedOut.ExitCode);
        Assert.False(fileAfterLogout);
        Assert.Equal(ExitCodes.NotSignedIn, signedOut.ExitCode);
        Assert.Contains("chat login", signedOut.Error);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"Signed in as {ann.Account.DisplayName}", login.Out);
        Assert.Equal(id, again.Json.GetProperty("id").GetInt64());
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Contains($"{id}  {ann.Account.DisplayName}  2 unread", conversations.Out);
        var lines = history.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var localTime = DateTimeOffset.Parse(json.Json.GetProperty("items")[0].GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{localTime} {ann.Account.DisplayName}: Hello Bo", lines[0]);
        Assert.Equal([$"{ann.Account.DisplayName}: Read from", "    standard input"], lines[1..].Select(l => l.StartsWith(' ') ? l : l[17..]));
        Assert.Equal(["Hello Bo", "Read from\nstandard input"], ApiSteps.Bodies(json.Json));
        Assert.Single(lastOnly.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith(' '));
        Assert.Contains($"chat history {id} --before ", lastOnly.Error);
        Assert.DoesNotContain("\u001b", history.Out + conversations.Out, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_session_file_is_for_its_owner_only_and_keeps_the_refresh_token_the_api_rotates()
    {
        using var ann = await new CliUser(app, "Ann Tokens").RegisteredAsync();
        var first = ann.StoredSession();
        ann.Store(first with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });

        var listed = await ann.RunAsync("conversations");
        var renewed = ann.StoredSession();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ann.SessionFile));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(ann.SessionFile)!));
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.NotEqual(first.RefreshToken, renewed.RefreshToken);
        Assert.NotEqual(first.AccessToken, renewed.AccessToken);
        Assert.True(renewed.AccessTokenExpiresAt > DateTimeOffset.UtcNow);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ann.SessionFile));
    }

    [Fact]
    public async Task Follow_prints_what_another_person_sends_edits_and_deletes_within_five_seconds_once_each()
    {
        using var bo = await new CliUser(app, "Bo Follows").RegisteredAsync();
        using var ann = await ApiSteps.NewApiUserAsync(app.NewHttpClient(), "Ann Speaks");
        var id = await ann.StartConversationAsync(null, bo.StoredSession().UserId);
        var typo = (await ann.SendAsync(id, "Helo")).GetProperty("id").GetInt64();
        using var stop = new CancellationTokenSource();
        var (following, output, error) = CapturedWriter.Follow(bo, id, stop.Token);
        await CapturedWriter.WaitForAsync(() => error.Text.Contains("Following"), TimeSpan.FromSeconds(10), () => error.Text);

        await ann.SendAsync(id, "Are you there?");
        await CapturedWriter.WaitForAsync(() => output.Text.Contains("Are you there?"), TimeSpan.FromSeconds(5), () => output.Text);
        await ann.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{typo}", new { body = "Hello" });
        await CapturedWriter.WaitForAsync(() => output.Text.Contains("edited a message: Hello"), TimeSpan.FromSeconds(5), () => output.Text);
        await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{typo}");
        await CapturedWriter.WaitForAsync(() => output.Text.Contains("deleted a message"), TimeSpan.FromSeconds(5), () => output.Text);
        await Task.Delay(1500);
        await stop.CancelAsync();
        var result = await following;

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith($"{ann.Account.DisplayName}: Are you there?", lines[0]);
        Assert.EndsWith($"{ann.Account.DisplayName} edited a message: Hello", lines[1]);
        Assert.EndsWith($"{ann.Account.DisplayName} deleted a message", lines[2]);
        Assert.DoesNotContain("Helo", result.Out);
    }

    [Fact]
    public async Task Follow_goes_on_after_the_network_drops_and_prints_what_arrived_meanwhile_once()
    {
        var server = new Uri(app.BaseUrl);
        using var proxy = new TcpProxy(server.Host, server.Port);
        proxy.Start();
        using var bo = new CliUser(app, "Bo Roaming") { Server = $"http://127.0.0.1:{proxy.Port}" };
        await bo.RegisteredAsync();
        using var ann = await ApiSteps.NewApiUserAsync(app.NewHttpClient(), "Ann Steady");
        var id = await ann.StartConversationAsync(null, bo.StoredSession().UserId);
        using var stop = new CancellationTokenSource();
        var (following, output, error) = CapturedWriter.Follow(bo, id, stop.Token);
        await CapturedWriter.WaitForAsync(() => error.Text.Contains("Following"), TimeSpan.FromSeconds(10), () => error.Text);
        await ann.SendAsync(id, "Before the drop");
        await CapturedWriter.WaitForAsync(() => output.Text.Contains("Before the drop"), TimeSpan.FromSeconds(5), () => output.Text);

        proxy.Stop();
        await ann.SendAsync(id, "While you were away");
        await Task.Delay(1500);
        var duringTheDrop = output.Text;
        proxy.Start();
        await CapturedWriter.WaitForAsync(() => output.Text.Contains("While you were away"), TimeSpan.FromSeconds(15), () => output.Text);
        await ann.SendAsync(id, "After it");
        await CapturedWriter.WaitForAsync(() => output.Text.Contains("After it"), TimeSpan.FromSeconds(5), () => output.Text);
        await stop.CancelAsync();
        var result = await following;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("While you were away", duringTheDrop);
        var said = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[17..]).ToList();
        Assert.Equal(
            [$"{ann.Account.DisplayName}: Before the drop", $"{ann.Account.DisplayName}: While you were away", $"{ann.Account.DisplayName}: After it"],
            said);
        Assert.Contains("Cannot reach the chat server", result.Error);
        Assert.Contains("Reconnected", result.Error);
    }

    [Fact]
    public async Task A_photo_is_sent_with_its_text_and_description_and_a_file_that_is_not_one_is_refused()
    {
        using var ann = await new CliUser(app, "Ann Photos").RegisteredAsync();
        using var bo = await new CliUser(app, "Bo Photos").RegisteredAsync();
        var id = await ann.StartWithAsync(bo);
        var photo = Path.Combine(ann.ConfigHome, "office.jpg");
        await File.WriteAllBytesAsync(photo, ChatMvc.Tests.Images.TestImages.Encode(64, 48, ChatMvc.Images.ImageFormat.Jpeg));
        var notes = Path.Combine(ann.ConfigHome, "notes.jpg");
        await File.WriteAllBytesAsync(notes, ChatMvc.Tests.Images.TestImages.NotAnImage);

        var sent = await ann.RunAsync("send", id.ToString(), "--file", photo, "--text", "Our office", "--alt", "A test pattern", "--json");
        var refused = await ann.RunAsync("send", id.ToString(), "--file", notes);
        var missing = await ann.RunAsync("send", id.ToString(), "--file", Path.Combine(ann.ConfigHome, "nowhere.jpg"));
        var history = await bo.RunAsync("history", id.ToString());

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Equal(64, sent.Json.GetProperty("image").GetProperty("width").GetInt32());
        Assert.Equal(ExitCodes.Invalid, refused.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(refused.Error));
        Assert.Equal(ExitCodes.Invalid, missing.ExitCode);
        Assert.Contains("There is no file", missing.Error);
        Assert.EndsWith($"{ann.Account.DisplayName}: [photo: A test pattern] Our office", history.Out.Trim());
    }

    [Fact]
    public async Task Any_other_file_is_sent_as_a_file_and_shows_by_its_name()
    {
        using var ann = await new CliUser(app, "Ann Reports").RegisteredAsync();
        using var bo = await new CliUser(app, "Bo Reports").RegisteredAsync();
        var id = await ann.StartWithAsync(bo);
        var report = Path.Combine(ann.ConfigHome, "report.pdf");
        var bytes = ChatMvc.Tests.Files.FileSteps.Pdf();
        await File.WriteAllBytesAsync(report, bytes);

        var sent = await ann.RunAsync("send", id.ToString(), "--file", report, "--text", "The report", "--json");
        var history = await bo.RunAsync("history", id.ToString());

        Assert.True(sent.ExitCode == 0, sent.ToString());
        var attachment = sent.Json.GetProperty("attachment");
        Assert.Equal("file", attachment.GetProperty("kind").GetString());
        Assert.Equal("report.pdf", attachment.GetProperty("name").GetString());
        Assert.Equal(bytes.Length, attachment.GetProperty("size").GetInt64());
        Assert.EndsWith($"{ann.Account.DisplayName}: [file: report.pdf] The report", history.Out.Trim());
    }

    [Fact]
    public async Task A_group_made_on_the_command_line_is_joined_with_its_invite_link_and_left()
    {
        using var ann = await new CliUser(app, "Ann Owner").RegisteredAsync();
        using var bo = await new CliUser(app, "Bo Member").RegisteredAsync();
        using var cy = await new CliUser(app, "Cy Joiner").RegisteredAsync();
        var group = await ann.RunAsync("group", "create", "Release crew", "--with", $"{bo.Account.Email}, {bo.StoredSession().UserId}", "--json");
        var id = group.Json.GetProperty("id").GetInt64();
        var invite = await ann.RunAsync("group", "invite", id.ToString(), "--plain");
        var url = invite.Out.Trim();

        var joined = await cy.RunAsync("join", url);
        var listed = await cy.RunAsync("conversations", "--json");
        var left = await cy.RunAsync("leave", id.ToString());
        var afterLeaving = await cy.RunAsync("history", id.ToString());

        Assert.True(group.ExitCode == 0, group.ToString());
        Assert.StartsWith($"{app.BaseUrl}/invites/", url);
        Assert.True(joined.ExitCode == 0, joined.ToString());
        Assert.Contains("Joined \"Release crew\"", joined.Out);
        Assert.Contains(id, listed.Json.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        Assert.True(left.ExitCode == 0, left.ToString());
        Assert.Equal(ExitCodes.NotFound, afterLeaving.ExitCode);
        Assert.Contains($"There is no conversation {id} that you are a member of.", afterLeaving.Error);
    }

    [Fact]
    public async Task A_wrong_password_is_exit_code_3_with_the_servers_reason()
    {
        using var ann = await new CliUser(app, "Ann Forgets").RegisteredAsync();
        ann.Password = "Not-the-password-1";

        var result = await ann.RunAsync("login", "--email", ann.Account.Email);

        Assert.Equal(ExitCodes.SignInRefused, result.ExitCode);
        Assert.Contains("password", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(result.Out);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task An_expired_session_is_exit_code_2_and_says_to_run_chat_login()
    {
        using var ann = await new CliUser(app, "Ann Expired").RegisteredAsync();
        var stored = ann.StoredSession();
        // The refresh token used elsewhere (as by a copy of the file), and the access token past its hour.
        using (var http = app.NewHttpClient())
        {
            await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = stored.RefreshToken });
        }

        ann.Store(stored with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });

        var result = await ann.RunAsync("conversations");

        Assert.Equal(ExitCodes.NotSignedIn, result.ExitCode);
        Assert.Contains($"Run: chat login --email {ann.Account.Email}", result.Error);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task A_conversation_you_are_not_in_is_exit_code_4()
    {
        using var ann = await new CliUser(app, "Ann Outsider").RegisteredAsync();
        using var bo = await new CliUser(app, "Bo Insider").RegisteredAsync();
        using var cy = await new CliUser(app, "Cy Insider").RegisteredAsync();
        var theirs = await bo.StartWithAsync(cy);

        var history = await ann.RunAsync("history", theirs.ToString());
        var send = await ann.RunAsync("send", theirs.ToString(), "Let me in");
        var follow = await ann.RunAsync("follow", theirs.ToString());

        Assert.All([history, send, follow], r => Assert.Equal(ExitCodes.NotFound, r.ExitCode));
        Assert.Contains($"There is no conversation {theirs} that you are a member of.", history.Error);
        AssertNoStackTrace(send);
    }

    [Fact]
    public async Task A_message_over_the_servers_size_limit_is_exit_code_6_with_its_detail()
    {
        using var ann = await new CliUser(app, "Ann Long").RegisteredAsync();
        using var bo = await new CliUser(app, "Bo Long").RegisteredAsync();
        var id = await ann.StartWithAsync(bo);

        var result = await ann.RunAsync(["send", id.ToString(), "-"], new string('x', 70_000), CancellationToken.None);

        Assert.Equal(ExitCodes.TooLarge, result.ExitCode);
        Assert.Contains("too large", result.Error);
        Assert.Empty((await bo.RunAsync("history", id.ToString(), "--json")).Json.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Too_many_messages_is_exit_code_7_with_the_wait_from_retry_after()
    {
        using var ann = await new CliUser(app, "Ann Busy").RegisteredAsync();
        using var bo = await new CliUser(app, "Bo Busy").RegisteredAsync();
        var id = await ann.StartWithAsync(bo);
        for (var i = 1; i <= CliApp.PostsPerMinute; i++)
        {
            Assert.Equal(0, (await ann.RunAsync("send", id.ToString(), $"Message {i}")).ExitCode);
        }

        var result = await ann.RunAsync("send", id.ToString(), "One too many");

        Assert.Equal(ExitCodes.TooManyRequests, result.ExitCode);
        Assert.Matches(@"Retry-After: \d+ seconds", result.Error);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_exit_code_8()
    {
        using var ann = await new CliUser(app, "Ann Offline").RegisteredAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var elsewhere = $"http://127.0.0.1:{closedPort}";
        var login = await ann.RunAsync("login", "--email", ann.Account.Email, "--server", elsewhere);
        ann.Store(ann.StoredSession() with { Server = elsewhere });
        var listing = await ann.RunAsync("conversations", "--server", elsewhere);

        Assert.Equal(ExitCodes.Unreachable, login.ExitCode);
        Assert.Contains($"Cannot reach the chat server at {elsewhere}/", login.Error);
        Assert.Equal(ExitCodes.Unreachable, listing.ExitCode);
        Assert.Contains("CHAT_SERVER", listing.Error);
        AssertNoStackTrace(listing);
        AssertNoStackTrace(login);
    }

    [Fact]
    public async Task A_server_that_answers_something_other_than_the_api_is_exit_code_9_in_one_line()
    {
        using var ann = await new CliUser(app, "Ann Elsewhere").RegisteredAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        // Serves until stopped, and then always ends by the accept's cancellation: a loop that checked for the stop
        // first could also end quietly, depending on when the stop came.
        var answering = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                var buffer = new byte[65536];
                await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, stop.Token);
                var body = "<html>not the chat API</html>"u8.ToArray();
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), stop.Token);
                await stream.WriteAsync(body, stop.Token);
            }
        });

        var login = await ann.RunAsync("login", "--email", ann.Account.Email, "--server", $"http://127.0.0.1:{port}");
        await stop.CancelAsync();
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => answering);

        Assert.Equal(ExitCodes.ServerError, login.ExitCode);
        Assert.Single(login.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("chat: ", login.Error);
        AssertNoStackTrace(login);
    }

    [Fact]
    public async Task Help_lists_every_command_and_the_exit_codes()
    {
        using var ann = new CliUser(app, "Ann Help");

        var help = await ann.RunAsync("--help");
        var wrong = await ann.RunAsync("send");

        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "register", "login", "logout", "conversations", "start", "group", "join", "leave", "send", "history", "follow" })
        {
            Assert.Contains($"  {command}", help.Out);
        }

        Assert.Contains("Exit codes:", help.Out);
        Assert.Contains("7  too many requests", help.Out);
        Assert.Equal(ExitCodes.Invalid, wrong.ExitCode);
    }

    private static void AssertNoStackTrace(CliResult result) =>
        Assert.DoesNotContain("   at ", result.Out + result.Error);
}
