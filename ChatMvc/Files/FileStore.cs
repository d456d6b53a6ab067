using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ChatMvc.Files;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    // Relative paths are under the app's content root. Every instance of the app must see the same folder.
    public string Path { get; set; } = "App_Data/files";
}

// A file the store holds: its name there is its SHA-256, so the same bytes are kept once.
public sealed record StoredBlob(string Sha256, long Size, byte[] Head);

public sealed class EmptyUploadException() : Exception("The file is empty.");

public sealed class UploadTooLargeException(long limit) : Exception($"The file is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

// Where the bytes of sent files live. A blob is complete once it can be opened: it is written under a temporary
// name and moved into place only when every byte is there.
public interface IFileStore
{
    // Copies the content in, hashing as it goes, refusing it (UploadTooLargeException) once it passes maxBytes.
    // Nothing is left behind when the copy fails or is cancelled.
    Task<StoredBlob> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    // Null when the store does not hold it.
    Stream? OpenRead(string sha256);

    // For tools that read a file by its path (ffprobe, ffmpeg); null when the store holds it elsewhere.
    string? LocalPath(string sha256);

    // Every blob, and every temporary file left by an upload that never finished, with when it was last written.
    IEnumerable<(string Sha256, DateTimeOffset WrittenAt)> List();

    IEnumerable<(string Path, DateTimeOffset WrittenAt)> ListTemporary();

    void Delete(string sha256);

    void DeleteTemporary(string path);
}

// The local filesystem (or a volume every instance mounts): blobs as ab/abcdef..., temporary files in tmp/.
public sealed class LocalFileStore : IFileStore
{
    public const int HeadLength = 64;

    private readonly string root;
    private readonly string temporary;

    public LocalFileStore(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        root = System.IO.Path.GetFullPath(System.IO.Path.Combine(environment.ContentRootPath, options.Value.Path));
        temporary = System.IO.Path.Combine(root, "tmp");
        Directory.CreateDirectory(temporary);
    }

    public string Root => root;

    public async Task<StoredBlob> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(temporary, $"{Guid.NewGuid():N}.part");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[HeadLength];
            var headLength = 0;
            long size = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new UploadTooLargeException(maxBytes);
                    }

                    if (headLength < HeadLength)
                    {
                        var take = Math.Min(read, HeadLength - headLength);
                        Array.Copy(buffer, 0, head, headLength, take);
                        headLength += take;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            if (size == 0)
            {
                throw new EmptyUploadException();
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            var final = PathOf(sha256);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(final)!);
            if (File.Exists(final))
            {
                // Already held: freshen it so a sweep running now does not take it for one nobody sent lately.
                File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
                File.Delete(path);
            }
            else
            {
                File.Move(path, final, overwrite: true);
            }

            return new StoredBlob(sha256, size, head[..headLength]);
        }
        finally
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    public Stream? OpenRead(string sha256)
    {
        var path = LocalPath(sha256);
        return path is null ? null : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
    }

    public string? LocalPath(string sha256) => IsHash(sha256) && File.Exists(PathOf(sha256)) ? PathOf(sha256) : null;

    public IEnumerable<(string Sha256, DateTimeOffset WrittenAt)> List() =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(temporary + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(path => (Sha256: System.IO.Path.GetFileName(path), WrittenAt: (DateTimeOffset)File.GetLastWriteTimeUtc(path)))
            .Where(blob => IsHash(blob.Sha256));

    public IEnumerable<(string Path, DateTimeOffset WrittenAt)> ListTemporary() =>
        Directory.EnumerateFiles(temporary).Select(path => (path, (DateTimeOffset)File.GetLastWriteTimeUtc(path)));

    public void Delete(string sha256)
    {
        if (IsHash(sha256))
        {
            File.Delete(PathOf(sha256));
        }
    }

    public void DeleteTemporary(string path)
    {
        if (System.IO.Path.GetDirectoryName(path) == temporary)
        {
            File.Delete(path);
        }
    }

    // Only 64 lowercase hex digits ever become a path, whatever a row or a caller holds.
    private static bool IsHash(string value) => value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private string PathOf(string sha256) => System.IO.Path.Combine(root, sha256[..2], sha256);
}
