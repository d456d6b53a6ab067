using System.Globalization;
using System.Text;

namespace ChatMvc.Images;

// A person's picture at a size in CSS pixels (32, 96 or 128: site.css has a class for each), or their initials
// when they have none. Alt is empty by default because the name is always written next to it.
public sealed record AvatarModel(string Name, long? ImageId, int Size, string Alt = "")
{
    public string Initials => Avatars.Initials(Name);

    // Classes rather than inline styles: the Content-Security-Policy allows no inline styles.
    public string InitialsClass => $"avatar avatar-initials avatar-{Size} avatar-color-{Avatars.ColourOf(Name)}";

    // The 64-pixel variant stays sharp up to 32 CSS pixels on a double-density screen.
    public string Variant => Size > 32 ? ImageVariants.Avatar : ImageVariants.SmallAvatar;
}

public static class Avatars
{
    // The backgrounds of .avatar-color-0 to -7 in site.css. White initials on each have a contrast ratio of at
    // least 4.5:1 (WCAG AA); a test checks both.
    public static readonly IReadOnlyList<string> Backgrounds =
        ["#0b5cad", "#a61b1b", "#1f6f3f", "#6b3fa0", "#8a4b08", "#00695c", "#ad1457", "#37474f"];

    // "Ann Marie Example" → "AE"; "bo" → "B"; "Design team (Q4)" → "DT". Only words that begin with a letter (in
    // any script) count, so a bracket, a digit or an emoji never becomes an initial; whole characters, so an accent
    // is not cut off its letter.
    public static string Initials(string name)
    {
        var words = name.Split((char[])[' ', '\t', '-', '.', '_', '/', '&', '+', ','], StringSplitOptions.RemoveEmptyEntries)
            .Where(StartsWithLetter)
            .ToList();
        return words.Count switch
        {
            0 => FirstLetterAnywhere(name),
            1 => First(words[0]),
            _ => First(words[0]) + First(words[^1]),
        };
    }
    // The same name always gets the same colour, in every process (string.GetHashCode is randomised per run).
    public static int ColourOf(string name)
    {
        var hash = 0u;
        foreach (var c in name)
        {
            hash = (hash * 31) + c;
        }

        return (int)(hash % (uint)Backgrounds.Count);
    }

    private static string First(string word) =>
        StringInfo.GetNextTextElementLength(word) is var length and > 0 ? word[..length].ToUpperInvariant() : string.Empty;

    private static bool StartsWithLetter(string word) =>
        Rune.TryGetRuneAt(word, 0, out var rune) && Rune.IsLetter(rune);

    // "(Q4)" → "Q"; a name without a letter at all → "?".
    private static string FirstLetterAnywhere(string name)
    {
        var elements = StringInfo.GetTextElementEnumerator(name);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (StartsWithLetter(element))
            {
                return element.ToUpperInvariant();
            }
        }

        return "?";
    }
}
