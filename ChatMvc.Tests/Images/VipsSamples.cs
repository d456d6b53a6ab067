using System.Runtime.InteropServices;
using ChatMvc.Images;

namespace ChatMvc.Tests.Images;

// Images drawn with libvips for the tests and the benchmark (bench/ImageBench links this file); the app itself
// only reads, shrinks and re-encodes photos. The same calling convention as the app's LibVips: optional arguments
// in fixed pointer-sized slots, ending with IntPtr.Zero, never a double among them.
public static unsafe partial class VipsSamples
{
    private const string Vips = "libvips.so.42";

    // Enum values from libvips 8.14's headers.
    private const int FormatUchar = 0;
    private const int FormatUshort = 2;
    private const nint InterpretationBw = 1;
    private const nint InterpretationSrgb = 22;
    private const nint InterpretationRgb16 = 25;
    private const nint InterpretationGrey16 = 26;

    // The most memory libvips has held for pixels at once since it started, in bytes.
    public static long PixelMemoryHighWater => (long)vips_tracked_get_mem_highwater();

    // Encodes in any format the app accepts, without metadata.
    public static byte[] Save(VipsImage image, ImageFormat format)
    {
        if (format == ImageFormat.Jpeg)
        {
            return LibVips.SaveJpeg(image, 90);
        }

        nint buffer;
        nuint length;
        var result = format switch
        {
            ImageFormat.Png => vips_pngsave_buffer(image, out buffer, out length, "strip", 1, IntPtr.Zero),
            ImageFormat.Gif => vips_gifsave_buffer(image, out buffer, out length, "strip", 1, IntPtr.Zero),
            _ => vips_webpsave_buffer(image, out buffer, out length, "strip", 1, IntPtr.Zero),
        };
        if (result != 0)
        {
            throw LibVips.Failure($"Encoding the {format} failed");
        }

        return LibVips.TakeBuffer(buffer, length);
    }

    // A synthetic photo: colour gradients with grain, so it compresses like a photo rather than a flat area.
    // With alpha, a fourth band fades from opaque at the top to transparent at the bottom. With sixteenBits, each
    // band holds 16 bits (as a PNG can) instead of 8.
    public static VipsImage CreateSample(int width, int height, bool alpha = false, bool sixteenBits = false)
    {
        LibVips.EnsureStarted();
        using var xy = Make(vips_xyz(out var image, width, height, IntPtr.Zero), image, "vips_xyz");
        using var x = Make(vips_extract_band(xy, out image, 0, IntPtr.Zero), image, "vips_extract_band");
        using var y = Make(vips_extract_band(xy, out image, 1, IntPtr.Zero), image, "vips_extract_band");
        using var red = Make(vips_linear1(x, out image, 255.0 / width, 0, IntPtr.Zero), image, "vips_linear1");
        using var green = Make(vips_linear1(y, out image, 255.0 / height, 0, IntPtr.Zero), image, "vips_linear1");
        using var noise = Make(vips_gaussnoise(out image, width, height, IntPtr.Zero), image, "vips_gaussnoise");
        using var blue = Make(vips_linear1(noise, out image, 0.4, 77, IntPtr.Zero), image, "vips_linear1");
        using var opacity = Make(vips_linear1(y, out image, -255.0 / height, 255, IntPtr.Zero), image, "vips_linear1");
        VipsImage[] bands = alpha ? [red, green, blue, opacity] : [red, green, blue];
        var handles = stackalloc nint[bands.Length];
        for (var i = 0; i < bands.Length; i++)
        {
            handles[i] = bands[i].DangerousGetHandle();
        }

        using var joined = Make(vips_bandjoin(handles, out image, bands.Length, IntPtr.Zero), image, "vips_bandjoin");
        GC.KeepAlive(bands);
        if (sixteenBits)
        {
            using var wide = Make(vips_linear1(joined, out image, 257, 0, IntPtr.Zero), image, "vips_linear1");
            using var words = Make(vips_cast(wide, out image, FormatUshort, IntPtr.Zero), image, "vips_cast");
            return Make(vips_copy(words, out image, "interpretation", InterpretationRgb16, IntPtr.Zero), image, "vips_copy");
        }

        using var bytes = Make(vips_cast(joined, out image, FormatUchar, IntPtr.Zero), image, "vips_cast");
        return Make(vips_copy(bytes, out image, "interpretation", InterpretationSrgb, IntPtr.Zero), image, "vips_copy");
    }

    // One flat colour in `bands` bands of 8 or 16 bits: however large, it compresses to almost nothing, as a
    // hostile upload would.
    public static VipsImage CreateBlank(int width, int height, int bands, bool sixteenBits = false)
    {
        LibVips.EnsureStarted();
        using var black = Make(vips_black(out var image, width, height, "bands", bands, IntPtr.Zero), image, "vips_black");
        using var cast = Make(vips_cast(black, out image, sixteenBits ? FormatUshort : FormatUchar, IntPtr.Zero), image, "vips_cast");
        var interpretation = (bands, sixteenBits) switch
        {
            ( < 3, true) => InterpretationGrey16,
            ( < 3, false) => InterpretationBw,
            (_, true) => InterpretationRgb16,
            _ => InterpretationSrgb,
        };
        return Make(vips_copy(cast, out image, "interpretation", interpretation, IntPtr.Zero), image, "vips_copy");
    }

    // Marks a tall image as frames of pageHeight pixels each: saved as GIF or WebP it becomes an animation.
    public static VipsImage AsFrames(VipsImage image, int pageHeight)
    {
        var copy = Make(vips_copy(image, out var result, null, IntPtr.Zero, IntPtr.Zero), result, "vips_copy");
        vips_image_set_int(copy, "page-height", pageHeight);
        return copy;
    }

    private static VipsImage Make(int result, VipsImage image, string what)
    {
        if (result != 0)
        {
            image.Dispose();
            throw LibVips.Failure(what + " failed");
        }

        return image;
    }

    [LibraryImport(Vips)]
    private static partial nuint vips_tracked_get_mem_highwater();

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial void vips_image_set_int(VipsImage image, string name, int value);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_pngsave_buffer(VipsImage input, out nint buffer, out nuint length, string k1, nint v1, nint end);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_gifsave_buffer(VipsImage input, out nint buffer, out nuint length, string k1, nint v1, nint end);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_webpsave_buffer(VipsImage input, out nint buffer, out nuint length, string k1, nint v1, nint end);

    [LibraryImport(Vips)]
    private static partial int vips_xyz(out VipsImage output, int width, int height, nint end);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_black(out VipsImage output, int width, int height, string k1, nint v1, nint end);

    [LibraryImport(Vips)]
    private static partial int vips_gaussnoise(out VipsImage output, int width, int height, nint end);

    [LibraryImport(Vips)]
    private static partial int vips_extract_band(VipsImage input, out VipsImage output, int band, nint end);

    // a and b are fixed arguments, so doubles are safe here.
    [LibraryImport(Vips)]
    private static partial int vips_linear1(VipsImage input, out VipsImage output, double a, double b, nint end);

    [LibraryImport(Vips)]
    private static partial int vips_bandjoin(nint* inputs, out VipsImage output, int count, nint end);

    [LibraryImport(Vips)]
    private static partial int vips_cast(VipsImage input, out VipsImage output, int format, nint end);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_copy(VipsImage input, out VipsImage output, string? k1, nint v1, nint end);
}
