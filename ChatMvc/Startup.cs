using ChatMvc.Accounts;
using ChatMvc.Admin;
using ChatMvc.Api;
using ChatMvc.Caching;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Delivery;
using ChatMvc.Files;
using ChatMvc.Health;
using ChatMvc.Images;
using ChatMvc.Notifications;
using ChatMvc.Security;

namespace ChatMvc;

public static class Startup
{
    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChatDb>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<SqliteBackup>();
        services.AddChatCache(configuration);
        services.AddChatAccounts(configuration);
        services.AddAccountSessions();
        services.AddChatAdministration(configuration);
        services.AddSingleton<ConversationQueries>();
        services.AddSingleton<MessageQueries>();
        services.AddSingleton<SearchQueries>();
        services.AddSingleton<MessageSearch>();
        services.AddSingleton<MentionQueries>();
        services.AddSingleton<PeopleQueries>();
        services.AddSingleton<ConversationCache>();
        services.AddSingleton<ConversationListCache>();
        services.AddSingleton<ReadMarks>();
        services.AddSingleton<ChatWindowUpdates>();
        services.AddSingleton<ChatWindows>();
        services.AddSingleton<MessageFragments>();
        services.AddSingleton<MessageArticles>();
        services.AddSingleton<WindowPages>();
        services.AddSingleton<ConversationRows>();
        services.AddSingleton<KeptPartials>();
        services.AddSingleton<AssetUrls>();
        services.AddSingleton<ConversationManagement>();
        services.AddSingleton<ReactionQueries>();
        services.AddSingleton<MessageReactions>();
        services.AddSingleton<MembersPage>();
        services.AddSingleton<InviteQueries>();
        services.AddSingleton<BotQueries>();
        services.AddSingleton<Bots>();
        services.AddSingleton<ImageQueries>();
        services.AddOptions<ImageLibraryOptions>().Bind(configuration.GetSection(ImageLibraryOptions.Section));
        services.AddSingleton<ImageLibrary>();
        services.AddSingleton<ImageProcessor>();
        services.AddSingleton<ImageService>();
        services.AddSingleton<ImageDelivery>();
        services.AddChatFiles(configuration);
        services.AddScoped<ProfileChanges>();
        services.AddHttpContextAccessor();
        services.AddScoped<ViewerClock>();
        services.AddHostedService<CacheRepairService>();
        services.AddMissedMessageMail(configuration);

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<CacheHealthCheck>("cache")
            .AddCheck<ImagesHealthCheck>("images");

        services.AddControllersWithViews(options =>
        {
            options.Filters.Add(new Microsoft.AspNetCore.Mvc.AutoValidateAntiforgeryTokenAttribute());
            options.Filters.Add(new UnreadableFormFilter());
            options.Filters.Add<PresenceFilter>();
        });
        services.AddRazorPages();
        services.AddStatusMessages();
        // After MVC's own registration, so this one is the one resolved: pages are written straight to the response in one piece (Delivery/PageWriter.cs).
        services.AddSingleton<Microsoft.AspNetCore.Mvc.Infrastructure.IHttpResponseStreamWriterFactory, PageWriterFactory>();
        services.Decorate<Microsoft.AspNetCore.Mvc.ViewFeatures.Buffers.IViewBufferScope>(scope => new PageBufferScope(scope));
        // htmx sends the token in this header on every request (see _Layout's data-hx-headers).
        services.AddAntiforgery(options => options.HeaderName = "RequestVerificationToken");
        // Every cookie the app sets is Secure whenever the request came over HTTPS (directly or via the proxy).
        services.Configure<CookiePolicyOptions>(options => options.Secure = CookieSecurePolicy.SameAsRequest);
        services.AddChatApi(configuration);
        services.AddChatRateLimits(configuration);
        services.AddPublicUrl(configuration);
        services.AddReverseProxy(configuration);
        services.AddChatCompression();

        // Kestrel's connection limits, from the Kestrel:Limits section or the open-file limit (Health/ConnectionLimits.cs).
        services.AddConnectionLimits(configuration, ConnectionLimits.OpenFileSoftLimit());
        return services;
    }

    public static WebApplication UseChat(this WebApplication app)
    {
        app.LogConnectionLimits();
        app.UseTrustedForwardedHeaders();
        app.UseChatCompression();
        app.UseSecurityHeaders();
        // In every environment: the developer exception page (which Development would otherwise show) lists the
        // request's headers and cookies, to anyone who can make a request fail.
        app.UseExceptionHandler("/error");
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseCookiePolicy();
        app.UseChatStaticFiles();
        app.UseRouting();
        app.UseDoNotCompress();
        app.UseChatApi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseIdlePolls();

        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthEndpoint.WriteAsync,
        });
        // The ceiling the benchmarks (bench/run.sh) compare the idle poll and the chat window against: the same
        // pipeline, no authentication and no I/O; and the floor of anything that must know who is asking (the
        // sign-in cookie checked, still no I/O). They reveal nothing and cost nothing, so they stay in production.
        app.MapGet("/bench/bare", () => Results.NoContent());
        app.MapGet("/bench/auth", () => Results.NoContent()).RequireAuthorization();
        FileUploadLimitAttribute.WithFileUploadLimits(
            app.MapControllers(), app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UploadOptions>>().Value.MaxBodyBytes);
        app.MapOpenApi();
        app.MapRazorPages();
        return app;
    }
}
