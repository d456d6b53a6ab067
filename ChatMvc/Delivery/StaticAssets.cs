using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ChatMvc.Delivery;

// The views link the stylesheet and scripts with the hash of the file (?v=<hash>, AssetUrls): such a URL names one
// version of the file forever, so browsers may keep it a year without asking again. Anything else, /favicon.ico
// included, is asked for again each time (answered 304 by its ETag while unchanged), so a new release shows at once.
public static class StaticAssets
{
    public const string Versioned = "public, max-age=31536000, immutable";

    public const string Unversioned = "no-cache";

    public static IApplicationBuilder UseChatStaticFiles(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                IsCurrentVersion(context.Context) ? Versioned : Unversioned,
        });

    // Only the hash of the file as it is now: a made-up or an old ?v= must not pin this content under that URL.
    private static bool IsCurrentVersion(HttpContext context)
    {
        if (context.Request.Query["v"] is not [{ Length: > 0 } version])
        {
            return false;
        }

        var path = (context.Request.PathBase + context.Request.Path).Value!;
        var versioned = context.RequestServices.GetRequiredService<IFileVersionProvider>()
            .AddFileVersionToPath(context.Request.PathBase, path);
        return versioned == $"{path}?v={version}";
    }
}

// A static file's URL with the hash of its content (?v=), as asp-append-version writes it, for the views' plain
// <script> and <link> elements: the script and link tag helpers cost a page more than the hashes they look up.
public sealed class AssetUrls(IFileVersionProvider versions)
{
    public string this[string path] => versions.AddFileVersionToPath(PathString.Empty, path);
}
