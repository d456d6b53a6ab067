using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Security;

// The app's own route table: every endpoint as "METHOD /pattern", so tests can demand a row for each.
public static class RouteTable
{
    public static IReadOnlyList<string> Of(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(method => $"{method} /{e.RoutePattern.RawText?.TrimStart('/')}"))
            .Distinct()
            .Order()
            .ToList();
}
