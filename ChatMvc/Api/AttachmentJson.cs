using ChatMvc.Chat;
using ChatMvc.Files;
using ChatMvc.Images;

namespace ChatMvc.Api;

// What a message carries, photo or file, in one shape. Id is the image's id for a photo, the file's otherwise.
// Name is null for a photo (it is kept as an image, not under its file name). Width and height are a photo's or
// video's; length (seconds) a video's or sound's; posterUrl a video's frame to show before it plays.
public sealed record AttachmentJson(
    long Id, string Kind, string? Name, string ContentType, long? Size, string Url, int? Width, int? Height, double? Length, string? PosterUrl)
{
    public static string FileUrl(long conversationId, long fileId) => $"/api/v1/conversations/{conversationId}/files/{fileId}";

    public static AttachmentJson? From(MessageView message)
    {
        if (message.DeletedAt is not null)
        {
            return null;
        }

        if (message.ImageId is { } imageId)
        {
            return new AttachmentJson(
                imageId, FileKind.Image, null, ImageVariants.JpegType, message.ImageSize, ApiUrls.Image(imageId, ImageVariants.Display),
                message.ImageWidth, message.ImageHeight, null, null);
        }

        return message.FileId is { } fileId
            ? new AttachmentJson(
                fileId, message.FileKind ?? FileKind.File, message.FileName, message.FileContentType ?? FileKinds.Unknown, message.FileSize,
                FileUrl(message.ConversationId, fileId), message.FileWidth, message.FileHeight, message.FileLengthMs / 1000.0,
                message.FilePosterImageId is { } poster ? ApiUrls.Image(poster, ImageVariants.Display) : null)
            : null;
    }
}
