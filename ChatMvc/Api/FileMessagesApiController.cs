using System.Text;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Files;
using ChatMvc.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ChatMvc.Api;

// A message with a file of any type (multipart/form-data: the file in "file", optional "body" and
// "clientMessageId"), read part by part: the file goes straight into the file store as it arrives, never whole
// into memory, and the message is stored only once the file is.
[Route("api/v1/conversations/{id:long}/messages/file")]
[Tags("Messages")]
public sealed class FileMessagesApiController(ConversationCache cache, FileUploads uploads, ConversationManagement management)
    : ConversationScopedApiController(cache)
{
    private const int MaxFieldChars = JsonBodyLimit;

    [HttpPost("")]
    [EnableRateLimiting(RateLimitOptions.PostingPolicy)]
    [FileUploadLimit]
    [ProducesResponseType<MessageJson>(StatusCodes.Status201Created)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status200OK)]
    public async Task<ActionResult<MessageJson>> Send()
    {
        if (!MediaTypeHeaderValue.TryParse(Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(
                StatusCodes.Status415UnsupportedMediaType,
                "Send the file as multipart/form-data (Content-Type: multipart/form-data; boundary=...), the file in the field \"file\", "
                + "with optional \"body\" and \"clientMessageId\" fields.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            return Invalid("file", "The Content-Type header needs a multipart boundary of 1 to 70 characters: multipart/form-data; boundary=...");
        }

        using var slot = uploads.TryBegin(CurrentUserId);
        if (slot is null)
        {
            return Refused(FileUploads.Busy(uploads.Options.MaxInProgressPerPerson).Rejection!);
        }

        var cancellation = HttpContext.RequestAborted;
        var reader = new MultipartReader(boundary, Request.Body);
        string? body = null, clientMessageId = null;
        StoredFile? file = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellation) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                switch (HeaderUtilities.RemoveQuotes(disposition.Name).Value)
                {
                    case "file" when file is not null:
                        await DiscardAsync(file);
                        return Invalid("file", "Send one file per message.");
                    case "file":
                        var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                        var upload = await uploads.StoreAsync(ConversationId, CurrentUserId, section.Body, name, section.ContentType, cancellation);
                        if (upload.Rejection is { } rejection)
                        {
                            return Refused(rejection);
                        }

                        file = upload.File;
                        break;
                    case "body":
                        body = await ReadFieldAsync(section.Body, cancellation);
                        break;
                    case "clientMessageId":
                        clientMessageId = await ReadFieldAsync(section.Body, cancellation);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or BadHttpRequestException)
        {
            await DiscardAsync(file);
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? Refuse(StatusCodes.Status413PayloadTooLarge, $"The request is larger than {uploads.Options.MaxFileMegabytes} MB and its form.")
                : Invalid("file", "The upload stopped before the whole form arrived, or the form was not well formed, so nothing was sent. Send it again.");
        }

        if (file is null)
        {
            return Invalid("file", "Attach the file as the multipart/form-data field \"file\" (with its file name).");
        }

        if (clientMessageId?.Length > MessageText.MaxClientMessageIdLength)
        {
            await DiscardAsync(file);
            return Invalid("clientMessageId", $"clientMessageId can be at most {MessageText.MaxClientMessageIdLength} characters.");
        }

        var sent = await management.SendFileAsync(
            ConversationId, CurrentUserId, body, string.IsNullOrWhiteSpace(clientMessageId) ? null : clientMessageId, file);
        return sent switch
        {
            { Refusal: not null } => Invalid("body", sent.Error!),
            { Created: true } => Created((string?)null, MessageJson.From(sent.Message!, CurrentUserId)),
            _ => Ok(MessageJson.From(sent.Message!, CurrentUserId)),
        };
    }

    private ActionResult Refused(FileRejection rejection)
    {
        switch (rejection.Reason)
        {
            case FileRefusal.TooLarge:
                return Refuse(StatusCodes.Status413PayloadTooLarge, rejection.Message);
            case FileRefusal.Busy:
                Response.Headers.RetryAfter = "5";
                return Refuse(StatusCodes.Status429TooManyRequests, rejection.Message);
            default:
                return Invalid("file", rejection.Message);
        }
    }

    private Task DiscardAsync(StoredFile? file) => file is null ? Task.CompletedTask : uploads.DiscardAsync(file.Id);

    // A text field, at most as long as a JSON body may be: a form cannot carry more text than the JSON route does.
    private static async Task<string> ReadFieldAsync(Stream field, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(field, Encoding.UTF8);
        var buffer = new char[MaxFieldChars + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxFieldChars)
        {
            throw new InvalidDataException("A form field is longer than the limit.");
        }

        return new string(buffer, 0, length);
    }
}
