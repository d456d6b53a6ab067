using System.Text.Json;

namespace ChatMvc.Cli;

// What stays signed in between commands. The tokens are secrets, so the file is readable by its owner only.
public sealed record Session(
    string Server, long UserId, string Email, string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken);

// $XDG_CONFIG_HOME/chatmvc/session.json (or ~/.config/chatmvc/session.json). Changes are made under a lock file,
// because the API's refresh tokens work once: two commands refreshing with the same one would end the session.
public sealed class SessionStore(string folder)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string FilePath => Path.Combine(folder, "session.json");

    public static SessionStore For(CliEnvironment environment)
    {
        var config = environment.Variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(
                environment.Variable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                ".config");
        return new SessionStore(Path.Combine(config, "chatmvc"));
    }

    public Session? Load()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize<Session>(File.ReadAllText(FilePath), Json) : null;
        }
        catch (JsonException)
        {
            // A damaged file is a session that is gone: signing in again writes a good one.
            return null;
        }
    }

    // Written beside the old file and moved over it, so a reader never sees half a file.
    public void Save(Session session)
    {
        CreateFolder();
        var temporary = FilePath + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, session, Json);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a file it creates: an older leftover keeps its mode otherwise.
            File.SetUnixFileMode(temporary, OwnerOnly);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    public bool Delete()
    {
        var existed = File.Exists(FilePath);
        File.Delete(FilePath);
        return existed;
    }

    // Held while a refresh token is redeemed and the next one stored. Other commands wait for it.
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        CreateFolder();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(folder, "session.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private void CreateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
