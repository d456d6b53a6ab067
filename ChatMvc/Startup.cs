using ChatMvc.Accounts;
using ChatMvc.Caching;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Health;

namespace ChatMvc;

public static class Startup
{
    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChatDb>();
        services.AddSingleton<Migrator>();
        services.AddChatCache(configuration);
        services.AddChatAccounts(configuration);
        services.AddSingleton<ConversationQueries>();
        services.AddSingleton<MessageQueries>();
        services.AddSingleton<PeopleQueries>();
        services.AddSingleton<ConversationCache>();
        services.AddSingleton<ChatWindowUpdates>();
        services.AddSingleton<ConversationManagement>();
        services.AddSingleton<InviteQueries>();
        services.AddHostedService<CacheRepairService>();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<CacheHealthCheck>("cache");

        services.AddControllersWithViews(options =>
            options.Filters.Add(new Microsoft.AspNetCore.Mvc.AutoValidateAntiforgeryTokenAttribute()));
        services.AddRazorPages();
        // htmx sends the token in this header on every request (see _Layout's hx-headers).
        services.AddAntiforgery(options => options.HeaderName = "RequestVerificationToken");
        return services;
    }

    public static WebApplication UseChat(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
        }

        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthEndpoint.WriteAsync,
        });
        // The ceiling the benchmarks (bench/run.sh) compare the idle poll and the chat window against: the same
        // pipeline, no authentication and no I/O. Reveals nothing and costs nothing, so it stays in production.
        app.MapGet("/bench/bare", () => Results.NoContent());
        app.MapControllers();
        app.MapRazorPages();
        return app;
    }
}
