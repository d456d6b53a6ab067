using System.Text.RegularExpressions;

namespace ChatMvc.Chat;

public enum SegmentKind
{
    Text,
    Link,
    LineBreak,
}

public readonly record struct TextSegment(SegmentKind Kind, string Value);

// Splits a message body into text, links and line breaks; the message partial renders (and encodes) them.
public static partial class MessageText
{
    public const int MaxLength = 4000;

    public const int MaxAltLength = 500;

    public const int MaxClientMessageIdLength = 64;

    public static IEnumerable<TextSegment> Segments(string? body)
    {
        var lines = (body ?? string.Empty).Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                yield return new TextSegment(SegmentKind.LineBreak, string.Empty);
            }

            var position = 0;
            foreach (Match link in UrlPattern().Matches(lines[i]))
            {
                if (link.Index > position)
                {
                    yield return new TextSegment(SegmentKind.Text, lines[i][position..link.Index]);
                }

                // Trailing punctuation usually ends the sentence, not the address.
                var url = link.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', '\'', '"');
                yield return new TextSegment(SegmentKind.Link, url);
                position = link.Index + url.Length;
            }

            if (position < lines[i].Length)
            {
                yield return new TextSegment(SegmentKind.Text, lines[i][position..]);
            }
        }
    }

    // The body as stored: trimmed, with Windows line endings normalised. Null when it is empty or too long.
    public static string? Normalize(string? body, out string? error)
    {
        var text = (body ?? string.Empty).Replace("\r\n", "\n").Trim();
        error = text.Length switch
        {
            0 => "Write a message before sending.",
            > MaxLength => $"A message can be at most {MaxLength} characters; this one has {text.Length}.",
            _ => null,
        };
        return error is null ? text : null;
    }

    // The text of a message that has a photo: it may be empty (null), but not too long.
    public static string? NormalizeOptional(string? body, out string? error)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            error = null;
            return null;
        }

        return Normalize(body, out error);
    }

    // A photo's text alternative as stored: trimmed, on one line. Null when empty: the photo then reads as
    // "Photo from NAME".
    public static string? NormalizeAlt(string? alt, out string? error)
    {
        var text = string.Join(' ', (alt ?? string.Empty).Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        error = text.Length > MaxAltLength
            ? $"A photo description can be at most {MaxAltLength} characters; this one has {text.Length}."
            : null;
        return text.Length == 0 || error is not null ? null : text;
    }

    public static string Preview(string? body, int length = 80)
    {
        var flat = string.Join(' ', (body ?? string.Empty).Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= length ? flat : flat[..length].TrimEnd() + "…";
    }

    [GeneratedRegex(@"https?://[^\s<>""]+", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
