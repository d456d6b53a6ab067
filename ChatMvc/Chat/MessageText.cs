using System.Buffers;
using System.Text.RegularExpressions;

namespace ChatMvc.Chat;

public enum SegmentKind
{
    Text,
    Link,
    LineBreak,
    Mention,
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

    // The body as stored: trimmed, with Windows and old Mac line endings normalised. Null when it is empty, too
    // long or not readable text.
    public static string? Normalize(string? body, out string? error)
    {
        var text = (body ?? string.Empty).Replace("\r\n", "\n").Replace('\r', '\n').Trim();
        error = text.Length switch
        {
            0 => "Write a message before sending.",
            > MaxLength => $"A message can be at most {MaxLength} characters; this one has {text.Length}.",
            _ when !IsReadable(text, multiline: true) => UnreadableError("A message"),
            _ => null,
        };
        return error is null ? text : null;
    }

    // What people type, in messages, names, titles and descriptions alike: no NUL or other control characters
    // (tab and line breaks only where the text has lines), and nothing that arrived as bytes that are not UTF-8
    // (decoded as U+FFFD) or as half of a surrogate pair. Such characters show as nothing or as boxes, can hide
    // what a name really says, and tools that read C strings cut the text at a NUL.
    public static bool IsReadable(string text, bool multiline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || c == '\uFFFD' || (char.IsControl(c) && !(multiline && c is '\n' or '\t')))
            {
                return false;
            }
        }

        return true;
    }

    public static string UnreadableError(string what) =>
        $"{what} can only hold text: no control characters (such as NUL) and no bytes that are not UTF-8.";

    // Names and titles: readable text on one line, and no direction controls. A name sits inside sentences on
    // every page ("NAME wrote at 10:00"), and a right-to-left override in it turns the rest of the sentence
    // around, so that it says something else. Right-to-left names need none: browsers order their letters.
    // Null when the text is fine, else the reason.
    public static string? NameError(string text, string what) =>
        !IsReadable(text, multiline: false) ? UnreadableError(what)
        : text.AsSpan().ContainsAny(DirectionControls)
            ? $"{what} cannot contain invisible characters that change the direction of the text (such as U+202E, right-to-left "
                + "override, or U+200F, right-to-left mark). Remove them and type the text as it should read."
        : null;

    // The embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and marks (U+200E, U+200F, U+061C).
    private static readonly SearchValues<char> DirectionControls =
        SearchValues.Create("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C");

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
            : !IsReadable(text, multiline: false) ? UnreadableError("A photo description")
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
