using System.Globalization;
using System.Text;
using ChatMvc.Chat;
using Microsoft.Net.Http.Headers;

namespace ChatMvc.Files;

public static class FileKind
{
    public const string Image = "image";
    public const string Video = "video";
    public const string Audio = "audio";
    public const string File = "file";
}

// What the first bytes of a file say it is. The type a browser declares is only believed for files that are shown
// as a download, never to decide what plays in the page.
public static class FileKinds
{
    public const int MaxNameLength = 255;
    public const string Unknown = "application/octet-stream";

    public static (string Kind, string ContentType)? Recognise(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(head[8..12]);
            return brand is "M4A " or "M4B " ? (FileKind.Audio, "audio/mp4")
                : brand.StartsWith("qt", StringComparison.Ordinal) ? null
                : (FileKind.Video, "video/mp4");
        }

        return head switch
        {
            [0x1A, 0x45, 0xDF, 0xA3, ..] => (FileKind.Video, "video/webm"),
            [(byte)'O', (byte)'g', (byte)'g', (byte)'S', ..] => (FileKind.Audio, "audio/ogg"),
            [(byte)'f', (byte)'L', (byte)'a', (byte)'C', ..] => (FileKind.Audio, "audio/flac"),
            [(byte)'I', (byte)'D', (byte)'3', ..] => (FileKind.Audio, "audio/mpeg"),
            [0xFF, var frame, ..] when (frame & 0xE0) == 0xE0 && (frame & 0x06) != 0 => (FileKind.Audio, "audio/mpeg"),
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'A', (byte)'V', (byte)'E', ..] => (FileKind.Audio, "audio/wav"),
            [(byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', ..] => (FileKind.File, "application/pdf"),
            [0xFF, 0xD8, 0xFF, ..] => (FileKind.File, "image/jpeg"),
            [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => (FileKind.File, "image/png"),
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => (FileKind.File, "image/gif"),
            _ => null,
        };
    }

    // The file's name as shown (never used in a path): any folders a browser left in it are dropped, and what
    // remains must be a readable name of at most MaxNameLength characters.
    public static string? NormalizeName(string? name, out string? error)
    {
        var text = name?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            error = "The file has no name. Send it with a file name, such as report.pdf.";
            return null;
        }

        if (text.Length > MaxNameLength)
        {
            error = $"The file's name is {text.Length} characters long; it can be at most {MaxNameLength}. Rename the file and send it again.";
            return null;
        }

        if (text.Contains('/') || text.Contains('\\') || text is "." or "..")
        {
            error = "The file's name cannot contain / or \\ (or be . or ..): send the file with its name alone, such as report.pdf.";
            return null;
        }

        error = MessageText.NameError(text, "The file's name");
        return error is null ? text : null;
    }

    // The declared type of the file part, when it is a media type at all. Null with the reason when not.
    public static string? DeclaredType(string? declared, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(declared))
        {
            return Unknown;
        }

        if (!MediaTypeHeaderValue.TryParse(declared, out var parsed) || parsed.Type.Length == 0 || parsed.SubType.Length == 0
            || parsed.MediaType.Length > 127 || parsed.MatchesAllTypes || parsed.MatchesAllSubTypes)
        {
            error = $"The file's Content-Type \"{(declared.Length > 60 ? declared[..60] + "…" : declared)}\" is not a media type such as application/pdf. "
                + "Send the file with its own type, or with application/octet-stream.";
            return null;
        }

        return parsed.MediaType.ToString().ToLowerInvariant();
    }

    // Shown in the page only when its bytes said what it is and a browser plays it without running anything
    // from it; every other file is a download, whatever it claims to be.
    public static bool ShownInline(string kind) => kind is FileKind.Video or FileKind.Audio or FileKind.Image;

    // "2.4 MB", for people.
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
    };

    // "1:05" or "1:02:03".
    public static string Length(long milliseconds)
    {
        var time = TimeSpan.FromMilliseconds(milliseconds);
        return time.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{time.Minutes}:{time.Seconds:00}");
    }
}
