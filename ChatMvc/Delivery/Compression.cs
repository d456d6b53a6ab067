using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.ResponseCompression;

namespace ChatMvc.Delivery;

// Brotli, else gzip, for pages, JSON and the static files, over HTTPS too.
//
// Compression over HTTPS lets an attacker who can both put text into a response and watch its encrypted length guess
// a secret in the same response a byte at a time (BREACH). What we decided, response by response:
// - Pages carry the antiforgery token, and reflect what people typed (searches, messages). The token is not
//   guessable this way: every response gets a freshly encrypted one (Data Protection, random per response), so there
//   is no fixed secret to converge on. The session cookie never appears in a body.
// - Pages whose body holds a long-lived secret (the authenticator key, recovery codes, the API's access and refresh
//   tokens) are never compressed over HTTPS ([DoNotCompress]), whatever they reflect. They are small and rare; the
//   gain is not worth the risk.
public static class Compression
{
    // JSON problems, the manifest and the icons as well as the defaults (HTML, CSS, JavaScript, JSON, text).
    private static readonly string[] ExtraTypes = ["application/problem+json", "application/manifest+json", "image/svg+xml", "image/x-icon"];

    public static IServiceCollection AddChatCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(ExtraTypes);
        });
        // Fastest is what a page rendered per request can afford; Brotli's fastest still beats gzip's on HTML.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<RazorPagesOptions>(options => options.Conventions.AddAreaFolderApplicationModelConvention(
            "Identity", "/Account/Manage", model => model.EndpointMetadata.Add(new DoNotCompressAttribute())));
        return services;
    }

    // Before anything that writes a body (the static files, the error pages), after the forwarded headers (so an
    // HTTPS request behind the proxy is known as one).
    public static IApplicationBuilder UseChatCompression(this IApplicationBuilder app) => app.UseResponseCompression();

    // After routing, which is when the endpoint is known; the compression middleware reads the mode when the
    // response starts.
    public static IApplicationBuilder UseDoNotCompress(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<DoNotCompressAttribute>() is not null
                && context.Features.Get<IHttpsCompressionFeature>() is { } feature)
            {
                feature.Mode = HttpsCompressionMode.DoNotCompress;
            }

            return next(context);
        });
}

// A response whose body holds a long-lived secret: not compressed over HTTPS (see Compression).
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class DoNotCompressAttribute : Attribute;
