namespace ChatMvc.Images;

public enum ImageFormat
{
    Jpeg,
    Png,
    Gif,
    Webp,
}

public static class ImageFormats
{
    // What the bytes are, from their first bytes only: a file name or a declared content type is whatever
    // the sender chose to say.
    public static ImageFormat? Sniff(ReadOnlySpan<byte> data) => data switch
    {
        [0xFF, 0xD8, 0xFF, ..] => ImageFormat.Jpeg,
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => ImageFormat.Png,
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => ImageFormat.Gif,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => ImageFormat.Webp,
        _ => null,
    };
}
