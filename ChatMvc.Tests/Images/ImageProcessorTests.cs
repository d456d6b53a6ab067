using ChatMvc.Images;

namespace ChatMvc.Tests.Images;

// libvips through the app's interop, on images generated here. No server needed.
public sealed class ImageProcessorTests
{
    [Fact]
    public void A_12_megapixel_camera_jpeg_is_turned_upright_and_loses_its_exif_and_gps()
    {
        var photo = TestImages.JpegWithGpsAndOrientation6(4000, 3000);
        Assert.Single(TestImages.App1Segments(photo));

        var result = ImageProcessor.Process(photo, ImagePurpose.Message);

        Assert.Null(result.Rejection);
        // Orientation 6 means the camera was held upright: 4000×3000 stored, 3000×4000 seen.
        AssertVariant(result[ImageVariants.Display], 960, 1280);
        AssertVariant(result[ImageVariants.Thumb], 240, 320);
        Assert.All(result.Variants, variant =>
        {
            Assert.Empty(TestImages.App1Segments(variant.Bytes));
            Assert.False(TestImages.Contains(variant.Bytes, "Exif"));
        });
    }

    [Fact]
    public void A_png_with_transparency_keeps_its_size_when_smaller_than_the_display_variant()
    {
        var png = TestImages.Encode(800, 600, ImageFormat.Png, alpha: true);

        var result = ImageProcessor.Process(png, ImagePurpose.Message);

        Assert.Null(result.Rejection);
        AssertVariant(result[ImageVariants.Display], 800, 600);
        AssertVariant(result[ImageVariants.Thumb], 320, 240);
    }

    [Fact]
    public void An_animated_gif_gives_its_first_frame()
    {
        var gif = TestImages.AnimatedGif(200, 150, frames: 3);

        var result = ImageProcessor.Process(gif, ImagePurpose.Message);

        Assert.Null(result.Rejection);
        AssertVariant(result[ImageVariants.Display], 200, 150);
        AssertVariant(result[ImageVariants.Thumb], 200, 150);
    }

    [Fact]
    public void A_webp_is_resized_to_fit_1280_and_320()
    {
        var webp = TestImages.Encode(1600, 1200, ImageFormat.Webp);

        var result = ImageProcessor.Process(webp, ImagePurpose.Message);

        Assert.Null(result.Rejection);
        AssertVariant(result[ImageVariants.Display], 1280, 960);
        AssertVariant(result[ImageVariants.Thumb], 320, 240);
    }

    [Fact]
    public void An_avatar_is_cropped_to_squares_of_256_and_64()
    {
        var photo = TestImages.JpegWithGpsAndOrientation6(1200, 800);

        var result = ImageProcessor.Process(photo, ImagePurpose.Avatar);

        Assert.Null(result.Rejection);
        AssertVariant(result[ImageVariants.Avatar], 256, 256);
        AssertVariant(result[ImageVariants.SmallAvatar], 64, 64);
        Assert.All(result.Variants, variant => Assert.Empty(TestImages.App1Segments(variant.Bytes)));
    }

    [Fact]
    public void A_truncated_jpeg_is_refused_as_damaged()
    {
        var truncated = TestImages.Truncated(TestImages.Encode(2000, 1500, ImageFormat.Jpeg));

        var result = ImageProcessor.Process(truncated, ImagePurpose.Message);

        AssertRefused(result, RejectionReason.Damaged, "damaged or incomplete");
    }

    [Fact]
    public void A_png_claiming_30000_by_30000_pixels_is_refused_from_its_header()
    {
        var bomb = TestImages.PngClaiming(30000, 30000);
        Assert.True(bomb.Length < 10_000);

        var result = ImageProcessor.Process(bomb, ImagePurpose.Message);

        AssertRefused(result, RejectionReason.TooManyPixels, "30000 × 30000 pixels, more than 50 megapixels");
    }

    [Theory]
    [InlineData(4096, 4096, 4, 8, true)]
    [InlineData(4096, 4097, 4, 8, false)]
    [InlineData(2896, 2896, 4, 16, true)]
    [InlineData(7000, 7000, 4, 16, false)]
    [InlineData(7000, 7000, 3, 8, false)]
    [InlineData(7000, 7000, 1, 8, true)]
    public void A_png_is_refused_from_its_header_when_its_pixels_would_decode_to_more_than_64_mb(
        int width, int height, int channels, int bits, bool accepted)
    {
        var png = TestImages.FlatPng(width, height, channels, bits);

        var result = ImageProcessor.Inspect(png);

        if (accepted)
        {
            Assert.Null(result);
        }
        else
        {
            AssertRefused(result!, RejectionReason.TooCostly, $"{width} × {height} pixels of {channels} channels at {bits} bits");
        }
    }

    [Fact]
    public void A_jpeg_is_decoded_already_shrunk_so_only_its_pixels_count()
    {
        using var blank = VipsSamples.CreateBlank(5000, 5000, bands: 3);
        var jpeg = VipsSamples.Save(blank, ImageFormat.Jpeg);

        Assert.Null(ImageProcessor.Inspect(jpeg));
        Assert.Equal(75_000_000, LibVips.ReadHeader(jpeg).DecodedBytes);
    }

    [Fact]
    public async Task A_persons_second_photo_is_refused_as_busy_while_their_first_is_in_progress_and_accepted_after()
    {
        var processor = new ImageCostTests.HoldingProcessor();
        var photo = TestImages.Encode(64, 48, ImageFormat.Jpeg);
        var hold = processor.HoldNext();
        var first = processor.ProcessAsync(1, photo, ImagePurpose.Message);
        await hold.Started.WaitAsync(TimeSpan.FromSeconds(30));

        var second = await processor.ProcessAsync(1, photo, ImagePurpose.Message);
        var someoneElse = await processor.ProcessAsync(2, photo, ImagePurpose.Message);
        hold.Release();

        AssertRefused(second, RejectionReason.Busy, "still being processed");
        Assert.Null(someoneElse.Rejection);
        Assert.Null((await first).Rejection);
        Assert.Null((await processor.ProcessAsync(1, photo, ImagePurpose.Message)).Rejection);
    }

    [Fact]
    public void A_text_file_is_refused_whatever_its_name_says()
    {
        var result = ImageProcessor.Process(TestImages.NotAnImage, ImagePurpose.Message);

        AssertRefused(result, RejectionReason.NotAnImage, "not an image");
    }

    [Fact]
    public void A_file_over_15_mb_is_refused_before_it_is_read()
    {
        var big = new byte[(15 * 1024 * 1024) + 1];
        TestImages.Encode(64, 64, ImageFormat.Jpeg).CopyTo(big, 0);

        var result = ImageProcessor.Process(big, ImagePurpose.Message);

        AssertRefused(result, RejectionReason.TooLarge, "larger than 15 MB");
    }

    [Fact]
    public void Bytes_that_only_start_like_an_image_are_refused_as_damaged()
    {
        byte[] fake = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. TestImages.NotAnImage];

        var result = ImageProcessor.Process(fake, ImagePurpose.Message);

        AssertRefused(result, RejectionReason.Damaged, "damaged");
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, ImageFormat.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ImageFormat.Png)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, ImageFormat.Gif)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50 }, ImageFormat.Webp)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45 }, null)]
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67 }, null)]
    public void The_format_comes_from_the_first_bytes(byte[] start, ImageFormat? expected) =>
        Assert.Equal(expected, ImageFormats.Sniff(start));

    [Fact]
    public async Task Uploads_in_a_burst_from_eight_people_all_complete_through_the_bounded_queue()
    {
        var processor = new ImageProcessor(maxConcurrency: 2);
        var photo = TestImages.Encode(1600, 1200, ImageFormat.Jpeg);

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(person => processor.ProcessAsync(person, photo, ImagePurpose.Message)));

        Assert.All(results, result => AssertVariant(result[ImageVariants.Display], 1280, 960));
    }

    [Fact]
    public void Libvips_loads_none_of_its_optional_modules_and_so_no_second_sqlite_library()
    {
        LibVips.ReadHeader(TestImages.Encode(8, 8, ImageFormat.Png));

        var libraries = File.ReadAllLines("/proc/self/maps").Select(line => line.Split(' ').Last()).Distinct().ToList();

        Assert.DoesNotContain(libraries, library => library.Contains("vips-modules", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, library => library.Contains("libsqlite3", StringComparison.Ordinal));
    }

    private static void AssertVariant(ImageVariantData variant, int width, int height)
    {
        Assert.Equal((width, height), (variant.Width, variant.Height));
        Assert.Equal("image/jpeg", variant.ContentType);
        var header = LibVips.ReadHeader(variant.Bytes);
        Assert.Equal((ImageFormat.Jpeg, width, height), (header.Format, header.Width, header.Height));
        Assert.Equal(64, variant.ContentHash.Length);
    }

    private static void AssertRefused(ProcessedImage result, RejectionReason reason, string message)
    {
        Assert.Equal(reason, result.Rejection?.Reason);
        Assert.Contains(message, result.Rejection!.Message);
        Assert.Empty(result.Variants);
    }
}
