using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

// Every message lands in the pickup folder, so a deployment without a mail server still lets an administrator hand
// someone their confirmation or reset link; SMTP is added on top when configured. Only in Development does the log
// carry the body too: elsewhere logs travel further than the folder (collectors, support tickets), and a reset link
// in them is a key to the account.
public sealed class PickupEmailSender(
    IOptions<EmailOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<PickupEmailSender> logger) : IEmailSender
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var settings = options.Value;
        var to = HeaderValue(email);
        subject = HeaderValue(subject);

        await WritePickupFileAsync(settings, to, subject, htmlMessage);
        if (environment.IsDevelopment())
        {
            logger.LogInformation("Email to {To}, subject {Subject}: {Body}", to, subject, htmlMessage);
        }
        else
        {
            logger.LogInformation("Email to {To}, subject {Subject}, written to the pickup folder", to, subject);
        }

        if (!string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            await SendSmtpAsync(settings, to, subject, htmlMessage);
        }
    }

    private async Task WritePickupFileAsync(EmailOptions settings, string to, string subject, string htmlMessage)
    {
        var folder = Path.Combine(environment.ContentRootPath, settings.PickupDirectory);
        Directory.CreateDirectory(folder);

        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        var message = new StringBuilder()
            .Append("Date: ").Append(now.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("From: ").Append(HeaderValue(settings.From)).Append("\r\n")
            .Append("To: ").Append(to).Append("\r\n")
            .Append("Subject: ").Append(EncodeHeader(subject)).Append("\r\n")
            .Append("Message-ID: <").Append(id).Append("@chatmvc>\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/html; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n")
            .Append("\r\n")
            .Append(htmlMessage)
            .Append("\r\n")
            .ToString();

        // Written under a temporary name and renamed, so whatever watches the folder never reads half a message.
        var name = $"{now:yyyyMMddTHHmmssfff}-{id}";
        var partial = Path.Combine(folder, name + ".tmp");
        await File.WriteAllTextAsync(partial, message, Utf8);
        File.Move(partial, Path.Combine(folder, name + ".eml"));
    }

    private static async Task SendSmtpAsync(EmailOptions settings, string to, string subject, string htmlMessage)
    {
        using var client = new SmtpClient(settings.Smtp.Host, settings.Smtp.Port)
        {
            EnableSsl = settings.Smtp.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(settings.Smtp.User))
        {
            client.Credentials = new NetworkCredential(settings.Smtp.User, settings.Smtp.Password);
        }

        using var message = new MailMessage(settings.From, to, subject, htmlMessage)
        {
            IsBodyHtml = true,
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        await client.SendMailAsync(message);
    }

    // A line break in a header value would let it add headers of its own.
    private static string HeaderValue(string value) => value.ReplaceLineEndings(" ").Trim();

    private static string EncodeHeader(string value) =>
        value.All(char.IsAscii) ? value : $"=?utf-8?B?{Convert.ToBase64String(Utf8.GetBytes(value))}?=";
}
