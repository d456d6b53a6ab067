using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Data;

// `backup FILE` and `restore FILE` on the embedded SQLite database, run as an operator would, against the
// app as its own process.
public sealed class BackupTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("chatmvc-backup-").FullName;
    private readonly List<AppProcess> apps = [];

    [Fact]
    public async Task A_backup_taken_under_sends_restores_into_a_fresh_folder_with_every_message_acknowledged_before_it()
    {
        var live = Settings("live");
        var app = Start(live);
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var ann = await ApiSteps.NewApiUserAsync(app.CreateClient(), "Ann Backup");
        using var bo = await ApiSteps.NewApiUserAsync(app.CreateClient(), "Bo Backup");
        var conversation = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { bo.Id } });
        var id = (await conversation.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        var acknowledged = new ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var sent = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { body = $"Message {n}" });
                acknowledged.Enqueue((await sent.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64());
            }
        });
        while (acknowledged.Count < 40)
        {
            await Task.Delay(20);
        }

        var beforeBackup = acknowledged.ToList();
        var file = Path.Combine(folder, "chat-backup.db");
        var backup = await AppProcess.RunCommandAsync(live, "backup", file);
        var afterBackup = acknowledged.Count;
        await stop.CancelAsync();
        await sender;
        Assert.True(backup.ExitCode == 0, backup.Output);
        Assert.True(acknowledged.Count > afterBackup || afterBackup > beforeBackup.Count, "Messages kept arriving while the backup ran.");

        var fresh = Settings("restored");
        var restore = await AppProcess.RunCommandAsync(fresh, "restore", file);
        Assert.True(restore.ExitCode == 0, restore.Output);
        var restored = Start(fresh);
        await restored.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var boAgain = await SignInAsync(restored, bo.Account);
        var ids = await AllMessageIdsAsync(boAgain.Http, id);

        Assert.Subset(ids.ToHashSet(), beforeBackup.ToHashSet());
        // One consistent snapshot: what it holds is exactly the first messages acknowledged, with no gaps.
        Assert.Equal(acknowledged.Take(ids.Count), ids);
    }

    [Fact]
    public async Task Restore_refuses_to_overwrite_the_database_of_a_running_app_and_leaves_it_as_it_was()
    {
        var live = Settings("live");
        var app = Start(live);
        await app.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var ann = await ApiSteps.NewApiUserAsync(app.CreateClient(), "Ann Running");
        var file = Path.Combine(folder, "empty-backup.db");
        Assert.Equal(0, (await AppProcess.RunCommandAsync(Settings("other"), "migrate")).ExitCode);
        Assert.Equal(0, (await AppProcess.RunCommandAsync(Settings("other"), "backup", file)).ExitCode);

        var restore = await AppProcess.RunCommandAsync(live, "restore", file);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is in use", restore.Output);
        var me = await ann.Http.GetAsync("/api/v1/users/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Backup_never_overwrites_a_file_and_restore_refuses_a_file_that_is_not_a_backup()
    {
        var settings = Settings("live");
        Assert.Equal(0, (await AppProcess.RunCommandAsync(settings, "migrate")).ExitCode);
        var existing = Path.Combine(folder, "notes.txt");
        await File.WriteAllTextAsync(existing, "Not a database");

        var backup = await AppProcess.RunCommandAsync(settings, "backup", existing);
        var restore = await AppProcess.RunCommandAsync(Settings("fresh"), "restore", existing);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains("already exists", backup.Output);
        Assert.Equal("Not a database", await File.ReadAllTextAsync(existing));
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not a backup of this app's database", restore.Output);
    }

    public void Dispose()
    {
        foreach (var app in apps)
        {
            app.Dispose();
        }

        Directory.Delete(folder, recursive: true);
    }

    private Dictionary<string, string> Settings(string name) => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Chat"] = $"Data Source={Path.Combine(folder, name, "chat.db")}",
        ["Email:PickupDirectory"] = Path.Combine(folder, "mail"),
    };

    private AppProcess Start(Dictionary<string, string> settings)
    {
        var app = new AppProcess(settings);
        apps.Add(app);
        return app;
    }

    private static async Task<ApiUser> SignInAsync(AppProcess app, TestUser account)
    {
        var http = app.CreateClient();
        var tokens = await http.LoginAsync(account.Email, account.Password);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        var me = await (await http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        return new ApiUser
        {
            Http = http,
            Id = me.GetProperty("id").GetInt64(),
            Account = account,
            RefreshToken = tokens.GetProperty("refreshToken").GetString()!,
        };
    }

    private static async Task<List<long>> AllMessageIdsAsync(HttpClient http, long conversationId)
    {
        var ids = new List<long>();
        var url = $"/api/v1/conversations/{conversationId}/messages?limit=100";
        while (true)
        {
            var page = await (await http.GetAsync(url)).JsonAsync(HttpStatusCode.OK);
            ids.InsertRange(0, page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
            if (page.GetProperty("paging").GetProperty("older").ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                return ids;
            }

            url = $"/api/v1/conversations/{conversationId}/messages?limit=100&before={page.GetProperty("paging").GetProperty("older").GetInt64()}";
        }
    }
}
