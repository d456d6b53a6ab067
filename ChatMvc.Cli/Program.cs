namespace ChatMvc.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => ChatCommand.RunAsync(args, CliEnvironment.FromProcess(), CancellationToken.None);
}
