using ChatMvc;
using ChatMvc.Data;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddChat(builder.Configuration);

var app = builder.Build();

var migrator = app.Services.GetRequiredService<Migrator>();
if (args.Contains("migrate"))
{
    var applied = await migrator.MigrateAsync();
    Console.WriteLine(applied.Count == 0
        ? "The database is up to date."
        : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
    return;
}

await migrator.MigrateAsync();
app.UseChat();
await app.RunAsync();

public partial class Program;
