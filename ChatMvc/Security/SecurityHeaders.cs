namespace ChatMvc.Security;

// Headers on every response. The policy allows scripts only from this origin: views carry no inline
// scripts or event handlers, and htmx runs with eval off.
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        // The single sign-on button's form is sent on to the identity provider, which form-action must allow.
        var policy = Accounts.SingleSignOn.FormActionSource(
            app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Accounts.SingleSignOnOptions>>().Value) is { } provider
            ? ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {provider}", StringComparison.Ordinal)
            : ContentSecurityPolicy;
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                return Task.CompletedTask;
            });
            await next();
        });
    }
}
