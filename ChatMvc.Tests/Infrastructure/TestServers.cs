namespace ChatMvc.Tests.Infrastructure;

// Real servers started by scripts/test.sh. A test that needs one fails loudly when it is missing.
public static class TestServers
{
    public static string MySql => Required("CHATMVC_TEST_MYSQL", "a MariaDB/MySQL connection string without a database");

    public static string Redis => Required("CHATMVC_TEST_REDIS", "a Redis endpoint such as 127.0.0.1:6379");

    public static string Chromium => Environment.GetEnvironmentVariable("CHATMVC_TEST_CHROMIUM") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    // Debian's ffmpeg, which the app runs to read videos; the tests make their videos with it too.
    public static string Ffmpeg => File.Exists("/usr/bin/ffmpeg")
        ? "/usr/bin/ffmpeg"
        : throw new InvalidOperationException("ffmpeg is not installed: scripts/test.sh installs it (apt-get install ffmpeg).");

    private static string Required(string name, string what) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: it must hold {what}. Run the tests with scripts/test.sh, which starts the servers.");
}
