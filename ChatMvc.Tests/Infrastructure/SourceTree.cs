namespace ChatMvc.Tests.Infrastructure;

// The repository the tests were built from, for tests that read its files rather than the app's output.
public static class SourceTree
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ChatMvc.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("ChatMvc.sln not found above the test folder.");
    }
}
