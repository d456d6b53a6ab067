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
        RejectionReason.Damaged => "The image could not be read: the file is damaged or incomplete.",
        _ => "That file is not an image this chat can show. Choose a JPEG, PNG, GIF or WebP image.",
    }, detail));
}

// Turns uploaded bytes into the JPEG variants the app serves: upright, without metadata, in fixed sizes.
public sealed class ImageProcessor
{
    public const long MaxBytes = 15 * 1024 * 1024;
    public const long MaxPixels = 50_000_000;
    public const int DisplaySize = 1280;
    public const int ThumbSize = 320;
    public const int AvatarSize = 256;
    public const int SmallAvatarSize = 64;
    private const int Quality = 82;

    private readonly SemaphoreSlim gate;

    public ImageProcessor()
        : this(Environment.ProcessorCount)
    {
    }

    public ImageProcessor(int maxConcurrency)
    {
        gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    // About one resize per core at a time; the rest wait their turn. Each runs on a thread of its own,
    // not a thread-pool thread, so a burst of uploads leaves the pool free to answer polls.
    public async Task<ProcessedImage> ProcessAsync(byte[] data, ImagePurpose purpose, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Factory.StartNew(
                () => Process(data, purpose), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            gate.Release();
        }
    }

    public static ProcessedImage Process(ReadOnlySpan<byte> data, ImagePurpose purpose)
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
