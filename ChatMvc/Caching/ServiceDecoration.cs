namespace ChatMvc.Caching;

public static class ServiceDecoration
{
    /// <summary>
    /// Puts a decorator in front of the service a framework registered, however it registered it (a type, a factory
    /// or an instance), with the same lifetime. The framework's own stays registered under its own type where it has
    /// one, so the container still creates and disposes it.
    /// </summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, TService> decorate)
        where TService : class
    {
        var registered = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(TService))
            ?? throw new InvalidOperationException($"{typeof(TService).Name} is not registered yet.");
        Func<IServiceProvider, object> inner;
        if (registered.ImplementationInstance is { } instance)
        {
            inner = _ => instance;
        }
        else if (registered.ImplementationFactory is { } factory)
        {
            inner = factory;
        }
        else
        {
            var type = registered.ImplementationType!;
            services.Add(new ServiceDescriptor(type, type, registered.Lifetime));
            inner = provider => provider.GetRequiredService(type);
        }

        services.Remove(registered);
        services.Add(new ServiceDescriptor(typeof(TService), provider => decorate((TService)inner(provider)), registered.Lifetime));
        return services;
    }
}
