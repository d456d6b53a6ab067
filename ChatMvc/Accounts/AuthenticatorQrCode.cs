using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Filters;
using QRCoder;
using V5 = Microsoft.AspNetCore.Identity.UI.V5.Pages.Account.Manage.Internal;

namespace ChatMvc.Accounts;

// The authenticator set-up page's QR code, drawn on the server so that no image service learns the secret and
// no script is needed. Each dark run of a row is one rectangle in a single SVG path, in module units: the view
// scales it with viewBox.
public sealed record AuthenticatorQrCode(int Size, string PathData)
{
    // The issuer an authenticator app shows beside the code, and the name the layout shows.
    public const string Issuer = "ChatMvc";

    public static AuthenticatorQrCode For(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var rows = data.ModuleMatrix; // with the quiet zone the standard asks for around the code
        var path = new StringBuilder();
        for (var y = 0; y < rows.Count; y++)
        {
            var row = rows[y];
            var x = 0;
            while (x < row.Length)
            {
                if (!row[x])
                {
                    x++;
                    continue;
                }

                var start = x;
                while (x < row.Length && row[x])
                {
                    x++;
                }

                path.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start}v1h-{x - start}z");
            }
        }

        return new AuthenticatorQrCode(rows.Count, path.ToString());
    }

    // The shipped page names the issuer "Microsoft.AspNetCore.Identity.UI"; authenticator apps would list the
    // account under that name. Same account and secret, under the app's name.
    public static string WithIssuer(string authenticatorUri, string issuer)
    {
        if (!Uri.TryCreate(authenticatorUri, UriKind.Absolute, out var uri) || uri.Scheme != "otpauth")
        {
            return authenticatorUri;
        }

        var label = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var account = label[(label.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var secret = uri.Query.TrimStart('?').Split('&')
            .Select(pair => pair.Split('=', 2))
            .FirstOrDefault(pair => pair[0] == "secret" && pair.Length == 2)?[1];
        if (secret is null)
        {
            return authenticatorUri;
        }

        var encoder = UrlEncoder.Default;
        return $"otpauth://totp/{encoder.Encode(issuer)}:{encoder.Encode(account)}?secret={secret}&issuer={encoder.Encode(issuer)}&digits=6";
    }
}

// Gives the set-up page the app's name as the issuer before it renders.
public sealed class AuthenticatorIssuerFilter : IAsyncPageFilter
{
    public const string Page = "/Account/Manage/EnableAuthenticator";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        await next();
        if (context.HandlerInstance is V5.EnableAuthenticatorModel { AuthenticatorUri: { Length: > 0 } uri } page)
        {
            page.AuthenticatorUri = AuthenticatorQrCode.WithIssuer(uri, AuthenticatorQrCode.Issuer);
        }
    }
}
