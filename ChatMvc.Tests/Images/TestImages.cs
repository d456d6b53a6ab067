using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ChatMvc.Images;

namespace ChatMvc.Tests.Images;

// Images made by the tests themselves: libvips encodes the pixels, and the parts that matter to a test
// (an EXIF block with GPS and orientation, a PNG header that lies about its size) are written byte by byte.
public static class TestImages
{
    public static readonly byte[] NotAnImage = Encoding.UTF8.GetBytes("Minutes of Tuesday's meeting, saved with the wrong name.\n");

    public static byte[] Encode(int width, int height, ImageFormat format, bool alpha = false)
    {
        using var sample = VipsSamples.CreateSample(width, height, alpha);
        return VipsSamples.Save(sample, format);
    }

    // A GIF of `frames` frames, each width×height.
    public static byte[] AnimatedGif(int width, int height, int frames)
    {
        using var strip = VipsSamples.CreateSample(width, height * frames);
        using var animation = VipsSamples.AsFrames(strip, height);
        return VipsSamples.Save(animation, ImageFormat.Gif);
    }

    // A camera-like JPEG: EXIF says "rotate 90° clockwise to view" (orientation 6) and where it was taken.
    public static byte[] JpegWithGpsAndOrientation6(int width, int height) =>
        WithExif(Encode(width, height, ImageFormat.Jpeg), Exif(orientation: 6));

    public static byte[] Truncated(byte[] image) => image[..(image.Length * 6 / 10)];

    // A valid PNG whose header says width×height; its few rows of pixel data are tiny.
    public static byte[] PngClaiming(int width, int height) => Png(width, height, channels: 1, bits: 8, rows: 4);

    // A complete PNG of one flat colour, with 1 (grey), 2 (grey and alpha), 3 (RGB) or 4 (RGBA) channels of 8 or
    // 16 bits: tiny however large, as a hostile upload would be. 7000×7000 RGBA at 16 bits is 0.38 MB and 373 MB
    // decoded.
    public static byte[] FlatPng(int width, int height, int channels, int bits) => Png(width, height, channels, bits, rows: height);

    private static byte[] Png(int width, int height, int channels, int bits, int rows)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bits;
        // Colour type for grey, grey and alpha, RGB, RGBA; then deflate, adaptive filters, not interlaced (all 0).
        header[9] = channels switch
        {
            1 => 0,
            2 => 4,
            3 => 2,
            _ => 6,
        };
        WriteChunk(png, "IHDR", header);
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            // Each row: filter type 0, then the row's bytes, all zero.
            var row = new byte[1 + ((long)width * channels * bits / 8)];
            for (var i = 0; i < rows; i++)
            {
                zlib.Write(row);
            }
        }

        WriteChunk(png, "IDAT", pixels.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    // The APP1 segments of a JPEG, read from its header up to the start of the pixel data.
    public static IReadOnlyList<byte[]> App1Segments(byte[] jpeg)
    {
        var segments = new List<byte[]>();
        var position = 2;
        while (position + 4 <= jpeg.Length && jpeg[position] == 0xFF)
        {
            var marker = jpeg[position + 1];
            if (marker == 0xDA)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(position + 2));
            if (marker == 0xE1)
            {
                segments.Add(jpeg[(position + 4)..(position + 2 + length)]);
            }

            position += 2 + length;
        }

        return segments;
    }

    public static bool Contains(byte[] data, string ascii) => data.AsSpan().IndexOf(Encoding.ASCII.GetBytes(ascii)) >= 0;

    private static byte[] WithExif(byte[] jpeg, byte[] exif)
    {
        var segment = new byte[4 + exif.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + exif.Length));
        exif.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    // "Exif\0\0" and a little-endian TIFF block: IFD0 holds Orientation and a pointer to the GPS IFD, which
    // holds 52°22'12" N, 4°53'42" E.
    private static byte[] Exif(ushort orientation)
    {
        const int ifd0 = 8;
        const int gpsIfd = ifd0 + 2 + (2 * 12) + 4;
        const int latitude = gpsIfd + 2 + (5 * 12) + 4;
        const int longitude = latitude + 24;
        var tiff = new byte[longitude + 24];
        var span = tiff.AsSpan();
        "II"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], ifd0);

        BinaryPrimitives.WriteUInt16LittleEndian(span[ifd0..], 2);
        Entry(span, ifd0 + 2, tag: 0x0112, type: 3, count: 1, value: orientation);
        Entry(span, ifd0 + 14, tag: 0x8825, type: 4, count: 1, value: gpsIfd);

        BinaryPrimitives.WriteUInt16LittleEndian(span[gpsIfd..], 5);
        Entry(span, gpsIfd + 2, tag: 0x0000, type: 1, count: 4, value: 0x0000_0202);
        Entry(span, gpsIfd + 14, tag: 0x0001, type: 2, count: 2, value: 'N');
        Entry(span, gpsIfd + 26, tag: 0x0002, type: 5, count: 3, value: latitude);
        Entry(span, gpsIfd + 38, tag: 0x0003, type: 2, count: 2, value: 'E');
        Entry(span, gpsIfd + 50, tag: 0x0004, type: 5, count: 3, value: longitude);
        Rationals(span[latitude..], 52, 22, 12);
        Rationals(span[longitude..], 4, 53, 42);
        return [.. "Exif\0\0"u8, .. tiff];
    }

    private static void Entry(Span<byte> tiff, int at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[at..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[(at + 2)..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[(at + 4)..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[(at + 8)..], value);
    }

    private static void Rationals(Span<byte> at, params uint[] whole)
    {
        for (var i = 0; i < whole.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(at[(i * 8)..], whole[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(at[((i * 8) + 4)..], 1);
        }
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
