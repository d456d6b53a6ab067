namespace ChatMvc.Data;

// `backup FILE` and `restore FILE` on the command line.
public static class SqliteBackupCommand
{
    public static async Task<int> RunAsync(SqliteBackup backup, string[] args)
    {
        if (args.Length != 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            Console.Error.WriteLine($"Usage: {args[0]} FILE");
            return 2;
        }

        try
        {
            if (args[0] == "backup")
            {
                var messages = await backup.BackupAsync(args[1]);
                Console.WriteLine($"Backed up {messages} message(s) to {args[1]}.");
            }
            else
            {
                var messages = await backup.RestoreAsync(args[1]);
                Console.WriteLine($"Restored {messages} message(s) from {args[1]}.");
            }

            return 0;
        }
        catch (BackupException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
