using System.Runtime.InteropServices;

namespace ChatMvc.Images;

public readonly record struct ImageHeader(int Width, int Height, ImageFormat? Format, int Bands, int BytesPerBand)
{
    // What the pixels take once decoded: a 16-bit RGBA image costs eight times an 8-bit grey one of the same size.
    public long DecodedBytes => (long)Width * Height * Bands * BytesPerBand;
}

public sealed class VipsException(string message) : Exception(message);

// A reference to a libvips image; disposing drops the reference.
public sealed class VipsImage : SafeHandle
{
    public VipsImage()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public int Width => LibVips.WidthOf(this);

    public int Height => LibVips.HeightOf(this);

    protected override bool ReleaseHandle()
    {
        LibVips.Unref(handle);
        return true;
    }
}

// The app's only native calls: libvips 8.14 from Debian's libvips42.
// Its optional arguments are C varargs ("name", value, ..., NULL). .NET cannot declare a variadic call, but on
// x86-64 Linux a variadic int or pointer travels exactly like a fixed one, so each call below has fixed
// pointer-sized slots for the options it uses and ends with IntPtr.Zero. Never pass a double as an option.
public static unsafe partial class LibVips
{
    private const string Vips = "libvips.so.42";
    private const string GObject = "libgobject-2.0.so.0";
    private const string GLib = "libglib-2.0.so.0";

    // Enum values from libvips 8.14's headers.
    private const nint AccessSequential = 1;
    private const nint FailOnTruncated = 1;
    private const nint SizeBoth = 0;
    private const nint SizeDown = 2;
    private const nint InterestingNone = 0;
    private const nint InterestingCentre = 1;

    private static readonly Lazy<bool> Started = new(Start);

    // libvips keeps one error buffer for the whole process, so reading it and clearing it must not interleave
    // with another thread doing the same. Another upload's text may still sneak in: it is only logged.
    private static readonly Lock ErrorLock = new();

    // Reads only the header: the pixels are not decoded, so a huge image costs nothing yet.
    public static ImageHeader ReadHeader(ReadOnlySpan<byte> data)
    {
        EnsureStarted();
        fixed (byte* bytes = data)
        {
            var loader = Marshal.PtrToStringUTF8(vips_foreign_find_load_buffer(bytes, (nuint)data.Length))
                ?? throw Failure("No loader recognises the data");
            using var image = vips_image_new_from_buffer(
                bytes, (nuint)data.Length, string.Empty, "access", AccessSequential, "fail_on", FailOnTruncated, IntPtr.Zero);
            if (image.IsInvalid)
            {
                throw Failure("Reading the header failed");
            }

            return new ImageHeader(
                image.Width, image.Height, FormatOfLoader(loader), vips_image_get_bands(image),
                (int)vips_format_sizeof(vips_image_get_format(image)));
        }
    }

    // Decodes the first frame, turns it upright by its EXIF orientation and shrinks it to fit width×height
    // (crop: fill the square, cutting from the centre). The result lives in memory, independent of data.
    public static VipsImage Thumbnail(ReadOnlySpan<byte> data, int width, int height, bool crop)
    {
        EnsureStarted();
        fixed (byte* bytes = data)
        {
            Check(
                vips_thumbnail_buffer(
                    bytes, (nuint)data.Length, out var lazy, width,
                    "height", height, "size", crop ? SizeBoth : SizeDown, "crop", crop ? InterestingCentre : InterestingNone,
                    "option_string", "fail_on=truncated", IntPtr.Zero),
                lazy, "Decoding the image failed");
            using (lazy)
            {
                // The pipeline reads the pinned buffer lazily: run it now, while the buffer is still pinned.
                var decoded = vips_image_copy_memory(lazy);
                return decoded.IsInvalid ? throw Failure("Decoding the image failed") : decoded;
            }
        }
    }

    public static VipsImage Thumbnail(VipsImage image, int width, int height, bool crop)
    {
        Check(
            vips_thumbnail_image(
                image, out var result, width,
                "height", height, "size", crop ? SizeBoth : SizeDown, "crop", crop ? InterestingCentre : InterestingNone,
                IntPtr.Zero),
            result, "Resizing the image failed");
        return result;
    }

    // A JPEG with no metadata at all (EXIF, GPS, XMP, IPTC, ICC); transparency becomes white.
    public static byte[] SaveJpeg(VipsImage image, int quality)
    {
        using var flat = Flatten(image);
        Check(
            vips_jpegsave_buffer(
                flat ?? image, out var buffer, out var length,
                "Q", quality, "strip", 1, "optimize_coding", 1, IntPtr.Zero),
            "Encoding the JPEG failed");
        return TakeBuffer(buffer, length);
    }

    internal static int WidthOf(VipsImage image) => vips_image_get_width(image);

    internal static int HeightOf(VipsImage image) => vips_image_get_height(image);

    internal static void Unref(nint image) => g_object_unref(image);

    // Also for the tests' and the benchmark's sample images (ChatMvc.Tests/Images/VipsSamples.cs), which must not
    // reach libvips before it is started the app's way.
    internal static void EnsureStarted()
    {
        try
        {
            _ = Started.Value;
        }
        catch (DllNotFoundException e)
        {
            // Not a VipsException: a missing library is the server's problem, not a bad upload.
            throw new InvalidOperationException(
                "Images need libvips 8.14 or later (libvips.so.42): install the libvips42 package (libvips42t64 on Ubuntu 24.04).", e);
        }
    }

    private static bool Start()
    {
        // vips_init loads Debian's optional loader modules (ImageMagick, PDF, HEIF, JPEG XL, OpenSlide) from
        // $VIPSHOME/lib/vips-modules-8.14. We accept none of those formats, and the OpenSlide module drags the
        // system libsqlite3 into the process with global symbols: the SQLite that Microsoft.Data.Sqlite bundles
        // then binds some of its calls to that other copy and corrupts memory. Pointing VIPSHOME at the app's
        // own folder, which has no modules, keeps all of them out; the built-in loaders remain.
        g_setenv("VIPSHOME", AppContext.BaseDirectory, 1);
        if (vips_init("chatmvc") != 0)
        {
            throw Failure("libvips did not start");
        }

        // No operation cache: nothing from one upload is kept for the next, and a buffer-backed load can
        // never be matched to a later buffer that happens to reuse the same address.
        vips_cache_set_max(0);

        // One thread per resize: ImageProcessor already runs about one resize per core.
        vips_concurrency_set(1);

        // Only the four loaders we accept may run at all, whatever the bytes claim to be.
        vips_operation_block_set("VipsForeignLoad", 1);
        foreach (var loader in new[] { "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadNsgif", "VipsForeignLoadWebp" })
        {
            vips_operation_block_set(loader, 0);
        }

        return true;
    }

    private static ImageFormat? FormatOfLoader(string loader) => loader switch
    {
        "VipsForeignLoadJpegBuffer" => ImageFormat.Jpeg,
        "VipsForeignLoadPngBuffer" => ImageFormat.Png,
        "VipsForeignLoadNsgifBuffer" => ImageFormat.Gif,
        "VipsForeignLoadWebpBuffer" => ImageFormat.Webp,
        _ => null,
    };

    private static VipsImage? Flatten(VipsImage image)
    {
        if (vips_image_hasalpha(image) == 0)
        {
            return null;
        }

        var white = 255.0;
        var background = vips_array_double_new(&white, 1);
        try
        {
            return Make(vips_flatten(image, out var flat, "background", background, IntPtr.Zero), flat, "vips_flatten");
        }
        finally
        {
            vips_area_unref(background);
        }
    }

    private static VipsImage Make(int result, VipsImage image, string what)
    {
        Check(result, image, what + " failed");
        return image;
    }

    private static void Check(int result, VipsImage output, string what)
    {
        if (result != 0)
        {
            output.Dispose();
            throw Failure(what);
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw Failure(what);
        }
    }

    internal static VipsException Failure(string what)
    {
        lock (ErrorLock)
        {
            var detail = Marshal.PtrToStringUTF8(vips_error_buffer())?.Trim();
            vips_error_clear();
            return new VipsException(string.IsNullOrEmpty(detail) ? what + "." : $"{what}: {detail}");
        }
    }

    internal static byte[] TakeBuffer(nint buffer, nuint length)
    {
        try
        {
            return new ReadOnlySpan<byte>((void*)buffer, checked((int)length)).ToArray();
        }
        finally
        {
            g_free(buffer);
        }
    }

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_init(string argv0);

    [LibraryImport(Vips)]
    private static partial void vips_cache_set_max(int max);

    [LibraryImport(Vips)]
    private static partial void vips_concurrency_set(int concurrency);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial void vips_operation_block_set(string name, int state);

    [LibraryImport(Vips)]
    private static partial nint vips_error_buffer();

    [LibraryImport(Vips)]
    private static partial void vips_error_clear();

    [LibraryImport(Vips)]
    private static partial nint vips_foreign_find_load_buffer(byte* data, nuint size);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial VipsImage vips_image_new_from_buffer(
        byte* data, nuint size, string options, string k1, nint v1, string k2, nint v2, nint end);

    [LibraryImport(Vips)]
    private static partial int vips_image_get_width(VipsImage image);

    [LibraryImport(Vips)]
    private static partial int vips_image_get_height(VipsImage image);

    [LibraryImport(Vips)]
    private static partial int vips_image_hasalpha(VipsImage image);

    [LibraryImport(Vips)]
    private static partial int vips_image_get_bands(VipsImage image);

    [LibraryImport(Vips)]
    private static partial int vips_image_get_format(VipsImage image);

    [LibraryImport(Vips)]
    private static partial ulong vips_format_sizeof(int format);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_thumbnail_buffer(
        byte* data, nuint size, out VipsImage output, int width,
        string k1, nint v1, string k2, nint v2, string k3, nint v3, string k4, string v4, nint end);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_thumbnail_image(
        VipsImage input, out VipsImage output, int width, string k1, nint v1, string k2, nint v2, string k3, nint v3, nint end);

    [LibraryImport(Vips)]
    private static partial VipsImage vips_image_copy_memory(VipsImage image);

    [LibraryImport(Vips)]
    private static partial nint vips_array_double_new(double* values, int count);

    [LibraryImport(Vips)]
    private static partial void vips_area_unref(nint area);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_flatten(VipsImage input, out VipsImage output, string k1, nint v1, nint end);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int vips_jpegsave_buffer(
        VipsImage input, out nint buffer, out nuint length, string k1, nint v1, string k2, nint v2, string k3, nint v3, nint end);

    [LibraryImport(GObject)]
    private static partial void g_object_unref(nint instance);

    [LibraryImport(GLib)]
    private static partial void g_free(nint memory);

    [LibraryImport(GLib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int g_setenv(string variable, string value, int overwrite);
}
