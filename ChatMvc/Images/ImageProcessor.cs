using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace ChatMvc.Images;

public enum ImagePurpose
{
    Message,
    Avatar,
}

public static class ImageVariants
{
    public const string Display = "display";
    public const string Thumb = "thumb";
    public const string Avatar = "avatar-256";
    public const string SmallAvatar = "avatar-64";

    public const string JpegType = "image/jpeg";
}

public enum RejectionReason
{
    TooLarge,
    TooManyPixels,
    TooCostly,
    Busy,
    Unavailable,
    Damaged,
    NotAnImage,
}

// Why an upload was refused: Message is for the person, Detail (libvips' words) for the log.
public sealed record ImageRejection(RejectionReason Reason, string Message, string? Detail = null);

public sealed record ImageVariantData(string Name, string ContentType, int Width, int Height, byte[] Bytes)
{
    public string ContentHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Bytes));
}

public sealed record ProcessedImage(IReadOnlyList<ImageVariantData> Variants, ImageRejection? Rejection)
{
    public ImageVariantData this[string name] => Variants.Single(v => v.Name == name);

    public static ProcessedImage Rejected(RejectionReason reason, string? detail = null) => new([], new ImageRejection(reason, reason switch
    {
        RejectionReason.TooLarge => $"The image is larger than {ImageProcessor.MaxBytes / 1024 / 1024} MB. Choose a smaller file.",
        RejectionReason.TooManyPixels =>
            $"The image is {detail} pixels, more than {ImageProcessor.MaxPixels / 1_000_000} megapixels. Choose a smaller image.",
        RejectionReason.TooCostly =>
            $"The image is {detail} once decoded, more than the {ImageProcessor.MaxDecodedBytes / 1024 / 1024} MB a PNG or GIF may take. "
            + "Save it smaller, with 8 bits per channel, or without transparency, or send it as a JPEG.",
        RejectionReason.Busy =>
            "Your previous photo is still being processed. Wait until it is done (a few seconds), then send this one again.",
        RejectionReason.Unavailable =>
            "Photos are off on this server: its image library (libvips) is not installed. Ask whoever runs it to install it.",
        RejectionReason.Damaged => "The image could not be read: the file is damaged or incomplete.",
        _ => "That file is not an image this chat can show. Choose a JPEG, PNG, GIF or WebP image.",
    }, detail));
}

// Turns uploaded bytes into the JPEG variants the app serves: upright, without metadata, in fixed sizes.
public class ImageProcessor
{
    public const long MaxBytes = 15 * 1024 * 1024;
    public const long MaxPixels = 50_000_000;

    // PNG and GIF are decoded at full size before they are shrunk, and their cost grows with the decoded bytes
    // (a 0.4 MB 7000 × 7000 16-bit RGBA PNG decodes to 373 MB and took over 10 s). 64 MB holds a 5K screenshot with
    // transparency; the worst image it admits takes 1.5–3 s (bench/images.sh). JPEG and WebP are decoded already
    // shrunk, so the pixel limit is enough for them.
    public const long MaxDecodedBytes = 64 * 1024 * 1024;

    // How long a person whose previous photo is still in progress is asked to wait: about the worst accepted image.
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(2);

    public const int DisplaySize = 1280;
    public const int ThumbSize = 320;
    public const int AvatarSize = 256;
    public const int SmallAvatarSize = 64;
    private const int Quality = 82;

    private readonly SemaphoreSlim gate;
    private readonly ConcurrentDictionary<long, byte> inProgress = new();

    // At least two at a time even on one core: one person's photo (each person has at most one in progress)
    // must never hold the only slot while everyone else waits.
    public ImageProcessor()
        : this(Math.Max(2, Environment.ProcessorCount))
    {
    }

    public ImageProcessor(int maxConcurrency)
    {
        gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    // What the header alone refuses is refused at once, before the queue. Then each person has one photo in
    // progress (processing or waiting) at a time, so one person's burst cannot fill the queue ahead of everyone
    // else's; their next one is refused as Busy until it is done. About one resize per core runs at a time, each
    // on a thread of its own, not a thread-pool thread, so a burst of uploads leaves the pool free to answer polls.
    public async Task<ProcessedImage> ProcessAsync(long personId, byte[] data, ImagePurpose purpose, CancellationToken cancellationToken = default)
    {
        if (Inspect(data) is { } refused)
        {
            return refused;
        }

        if (!inProgress.TryAdd(personId, 0))
        {
            return ProcessedImage.Rejected(RejectionReason.Busy);
        }

        try
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await DecodeAsync(data, purpose, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }
        finally
        {
            inProgress.TryRemove(personId, out _);
        }
    }

    public static ProcessedImage Process(ReadOnlySpan<byte> data, ImagePurpose purpose) => Inspect(data) ?? Decode(data, purpose);

    // The refusals that need only the first bytes and the header: cheap, whatever the image would cost to decode.
    public static ProcessedImage? Inspect(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxBytes)
        {
            return ProcessedImage.Rejected(RejectionReason.TooLarge);
        }

        if (ImageFormats.Sniff(data) is not { } format)
        {
            return ProcessedImage.Rejected(RejectionReason.NotAnImage);
        }

        try
        {
            var header = LibVips.ReadHeader(data);
            if (header.Format != format)
            {
                return ProcessedImage.Rejected(RejectionReason.Damaged, $"The bytes look like {format}; libvips reads them as {header.Format}.");
            }

            if ((long)header.Width * header.Height > MaxPixels)
            {
                return ProcessedImage.Rejected(RejectionReason.TooManyPixels, $"{header.Width} × {header.Height}");
            }

            if (format is ImageFormat.Png or ImageFormat.Gif && header.DecodedBytes > MaxDecodedBytes)
            {
                return ProcessedImage.Rejected(RejectionReason.TooCostly, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{header.Width} × {header.Height} pixels of {header.Bands} channels at {header.BytesPerBand * 8} bits: {header.DecodedBytes / 1024 / 1024} MB"));
            }

            return null;
        }
        catch (VipsException e)
        {
            return ProcessedImage.Rejected(RejectionReason.Damaged, e.Message);
        }
    }

    // Decodes an image Inspect accepted. Virtual so a test can hold a photo in progress.
    protected virtual Task<ProcessedImage> DecodeAsync(byte[] data, ImagePurpose purpose, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Decode(data, purpose), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static ProcessedImage Decode(ReadOnlySpan<byte> data, ImagePurpose purpose)
    {
        try
        {
            return new ProcessedImage(purpose == ImagePurpose.Avatar ? AvatarVariants(data) : MessageVariants(data), null);
        }
        catch (VipsException e)
        {
            return ProcessedImage.Rejected(RejectionReason.Damaged, e.Message);
        }
    }

    private static List<ImageVariantData> MessageVariants(ReadOnlySpan<byte> data)
    {
        // One decode: the thumbnail is made from the display image, already upright and in memory.
        using var display = LibVips.Thumbnail(data, DisplaySize, DisplaySize, crop: false);
        using var thumb = LibVips.Thumbnail(display, ThumbSize, ThumbSize, crop: false);
        return [Jpeg(ImageVariants.Display, display), Jpeg(ImageVariants.Thumb, thumb)];
    }

    private static List<ImageVariantData> AvatarVariants(ReadOnlySpan<byte> data)
    {
        using var large = LibVips.Thumbnail(data, AvatarSize, AvatarSize, crop: true);
        using var small = LibVips.Thumbnail(large, SmallAvatarSize, SmallAvatarSize, crop: true);
        return [Jpeg(ImageVariants.Avatar, large), Jpeg(ImageVariants.SmallAvatar, small)];
    }

    private static ImageVariantData Jpeg(string name, VipsImage image) =>
        new(name, ImageVariants.JpegType, image.Width, image.Height, LibVips.SaveJpeg(image, Quality));
}
