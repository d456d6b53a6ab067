using ChatMvc;
using ChatMvc.Data;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddChat(builder.Configuration);

var app = builder.Build();

if (args.Length > 0 && args[0] is "backup" or "restore")
{
    return await SqliteBackupCommand.RunAsync(app.Services.GetRequiredService<SqliteBackup>(), args);
}

// Checked at startup so a server without libvips warns now, not at the first photo.
app.Services.GetRequiredService<ChatMvc.Images.ImageLibrary>();

var migrator = app.Services.GetRequiredService<Migrator>();
if (args.Contains("migrate"))
{
    var applied = await migrator.MigrateAsync();
    Console.WriteLine(applied.Count == 0
        ? "The database is up to date."
        : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
    return 0;
}

await migrator.MigrateAsync();
app.UseChat();
await app.RunAsync();
return 0;

public partial class Program;
