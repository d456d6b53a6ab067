using System.Collections.Concurrent;
using ChatMvc.Data;
using ChatMvc.Images;
using Microsoft.Extensions.Options;

namespace ChatMvc.Files;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    public int MaxFileMegabytes { get; set; } = 100;

    // Uploads one person may have in progress at once; the next waits (429) until one is done.
    public int MaxInProgressPerPerson { get; set; } = 2;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024;

    // The file and room for the form around it.
    public long MaxBodyBytes => MaxFileBytes + Api.ApiController.JsonBodyLimit;
}

public enum FileRefusal
{
    Missing,
    Empty,
    TooLarge,
    Name,
    ContentType,
    Interrupted,
    Busy,
}

public sealed record FileRejection(FileRefusal Reason, string Message);

// Either the stored file or why it was refused (nothing is stored then).
public sealed record FileUpload(StoredFile? File, FileRejection? Rejection)
{
    public static FileUpload Refuse(FileRefusal reason, string message) => new(null, new FileRejection(reason, message));
}

// Files for messages from any front end (the pages, the API): streamed into the store, recognised by their bytes,
// a video or sound read by ffprobe (and a video given a poster frame), then recorded for the conversation.
public sealed class FileUploads(
    IFileStore store, FileQueries files, MediaTools media, ImageService images, IOptions<UploadOptions> options, ILogger<FileUploads> logger)
{
    private readonly ConcurrentDictionary<long, int> inProgress = new();

    public UploadOptions Options => options.Value;

    public static FileUpload Busy(int limit) => FileUpload.Refuse(
        FileRefusal.Busy, $"You already have {limit} uploads in progress. Wait until one of them is done, then send this file again.");

    // Null when the person already has as many uploads in progress as they may; dispose the slot when done.
    public IDisposable? TryBegin(long personId)
    {
        var limit = options.Value.MaxInProgressPerPerson;
        var taken = false;
        inProgress.AddOrUpdate(personId, _ => { taken = true; return 1; }, (_, count) =>
        {
            taken = count < limit;
            return taken ? count + 1 : count;
        });
        return taken ? new Slot(this, personId) : null;
    }

    // The caller has checked that the uploader is a member of the conversation.
    public async Task<FileUpload> StoreAsync(
        long conversationId, long uploaderId, Stream content, string? fileName, string? declaredType, CancellationToken cancellationToken)
    {
        var name = FileKinds.NormalizeName(fileName, out var nameError);
        if (nameError is not null)
        {
            return FileUpload.Refuse(FileRefusal.Name, nameError);
        }

        var declared = FileKinds.DeclaredType(declaredType, out var typeError);
        if (typeError is not null)
        {
            return FileUpload.Refuse(FileRefusal.ContentType, typeError);
        }

        StoredBlob blob;
        try
        {
            blob = await store.SaveAsync(content, options.Value.MaxFileBytes, cancellationToken);
        }
        catch (UploadTooLargeException)
        {
            return TooLarge();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (EmptyUploadException)
        {
            return FileUpload.Refuse(FileRefusal.Empty, "The file is empty (0 bytes). Choose a file with something in it.");
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            logger.LogInformation("An upload from user {User} stopped half way: {Reason}", uploaderId, e.Message);
            return FileUpload.Refuse(FileRefusal.Interrupted, "The upload stopped before the whole file arrived, so nothing was sent. Send it again.");
        }

        var recognised = FileKinds.Recognise(blob.Head);
        var file = new StoredFile
        {
            ConversationId = conversationId,
            UploadedBy = uploaderId,
            Sha256 = blob.Sha256,
            Name = name!,
            ContentType = recognised?.ContentType ?? declared!,
            Kind = recognised?.Kind ?? FileKind.File,
            ByteCount = blob.Size,
        };
        if (file.Kind is FileKind.Video or FileKind.Audio)
        {
            file = await ReadMediaAsync(file, cancellationToken);
        }

        return new FileUpload(await files.InsertAsync(file), null);
    }

    // For a file stored for a message that was then not created (a retried send found the first one). Its bytes
    // go with the next sweep, unless another message holds the same ones.
    public Task DiscardAsync(long fileId) => files.DeleteAsync(fileId);

    private FileUpload TooLarge() => FileUpload.Refuse(
        FileRefusal.TooLarge, $"The file is larger than {options.Value.MaxFileMegabytes} MB. Send a smaller one, or share a link to it.");

    // A video or sound that ffprobe cannot read stays a plain file: it can still be downloaded.
    private async Task<StoredFile> ReadMediaAsync(StoredFile file, CancellationToken cancellationToken)
    {
        var plain = file with { Kind = FileKind.File };
        if (store.LocalPath(file.Sha256) is not { } path || await media.ProbeAsync(path, cancellationToken) is not { } info)
        {
            return plain;
        }

        if (file.Kind == FileKind.Audio)
        {
            return file with { LengthMs = info.LengthMs };
        }

        if (!info.HasVideo || info.Width is not > 0 || info.Height is not > 0)
        {
            return plain;
        }

        long? posterId = null;
        if (await media.PosterAsync(path, info.LengthMs, cancellationToken) is { } jpeg)
        {
            using var poster = new MemoryStream(jpeg);
            var stored = await images.StoreMessageImageAsync(file.ConversationId, file.UploadedBy ?? 0, poster, cancellationToken);
            posterId = stored.Image?.Id;
        }

        return file with { Width = info.Width, Height = info.Height, LengthMs = info.LengthMs, PosterImageId = posterId };
    }

    private sealed class Slot(FileUploads owner, long personId) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.inProgress.AddOrUpdate(personId, 0, (_, count) => Math.Max(0, count - 1));
                owner.inProgress.TryRemove(new KeyValuePair<long, int>(personId, 0));
            }
        }
    }
}
