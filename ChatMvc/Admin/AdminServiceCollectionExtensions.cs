using ChatMvc.Accounts;
using ChatMvc.Data;

namespace ChatMvc.Admin;

public static class AdminServiceCollectionExtensions
{
    // Administrators, who may join (the registration policy) and the audit log.
    public static IServiceCollection AddChatAdministration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegistrationOptions>().Bind(configuration.GetSection(RegistrationOptions.Section));
        services.AddSingleton<AccountSettingsQueries>();
        services.AddSingleton<RegistrationPolicy>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AdminQueries>();
        services.AddScoped<Administration>();
        services.AddScoped<AdminRegistration>();
        return services;
    }
}
