using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChatMvc.Accounts;

// Every message lands in the pickup folder, so a deployment without a mail server still lets an administrator hand
// someone their confirmation or reset link; SMTP (MailKit) is added on top when Email:Smtp:Host is set. Only in
// Development does the log carry the body too: elsewhere logs travel further than the folder (collectors, support
// tickets), and a reset link in them is a key to the account.
public sealed class EmailSender(
    IOptions<EmailOptions> options,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<EmailSender> logger) : IEmailSender
{
    public Task SendEmailAsync(string email, string subject, string htmlMessage) => SendAsync(email, subject, htmlMessage);

    // headers: extra ones such as List-Unsubscribe; MimeKit folds and encodes every value, so none can add a header.
    public async Task SendAsync(
        string email, string subject, string htmlMessage, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var message = new MimeMessage
        {
            Date = time.GetUtcNow(),
            Subject = subject.ReplaceLineEndings(" ").Trim(),
            // 8bit as written; MailKit re-encodes for a server that only takes 7bit.
            Body = new TextPart("html") { Text = htmlMessage, ContentTransferEncoding = ContentEncoding.EightBit },
        };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.ReplaceLineEndings(" ").Trim()));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("chatmvc");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            message.Headers.Add(name, value);
        }

        await WritePickupFileAsync(settings, message, cancellationToken);
        if (environment.IsDevelopment())
        {
            logger.LogInformation("Email to {To}, subject {Subject}: {Body}", message.To, message.Subject, htmlMessage);
        }
        else
        {
            logger.LogInformation("Email to {To}, subject {Subject}, written to the pickup folder", message.To, message.Subject);
        }

        if (settings.Smtp.Host is { } host && !string.IsNullOrWhiteSpace(host))
        {
            await SendSmtpAsync(host, settings.Smtp, message, cancellationToken);
        }
    }

    private async Task WritePickupFileAsync(EmailOptions settings, MimeMessage message, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(environment.ContentRootPath, settings.PickupDirectory);
        Directory.CreateDirectory(folder);

        // Written under a temporary name and renamed, so whatever watches the folder never reads half a message.
        var name = $"{time.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var partial = Path.Combine(folder, name + ".tmp");
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, Path.Combine(folder, name + ".eml"));
    }

    private static async Task SendSmtpAsync(string host, SmtpOptions smtp, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient();
        // Port 465 speaks TLS from the start; elsewhere EnableSsl asks for STARTTLS and refuses a server without it.
        var security = !smtp.EnableSsl ? SecureSocketOptions.None
            : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(host, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
