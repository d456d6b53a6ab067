using System.Globalization;
using System.Text;

namespace ChatMvc.Chat;

// A search as the person typed it: the words to find, and the filters written into the text as from:, in:, before:
// and after:. Quotes only group a filter's value (from:"Ann Lee"); everywhere else every character is an ordinary
// one, so nothing typed can act as full-text syntax (the engines' own query strings are built from Words alone).
public sealed record SearchQuery(IReadOnlyList<string> Words, string? From, string? In, DateOnly? Before, DateOnly? After)
{
    // Long enough for a sentence and a few filters; a search box is not a place for a pasted page.
    public const int MaxLength = 256;

    public const int MaxWords = 16;

    public const string Help =
        "Type words to find. Narrow it with from:name, in:conversation, before:YYYY-MM-DD and after:YYYY-MM-DD; "
        + "quote a name with spaces, as in from:\"Ann Lee\".";

    private static readonly string[] Filters = ["from", "in", "before", "after"];

    public static Outcome<SearchQuery> Parse(string? text)
    {
        text = (text ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            return Outcome.Invalid<SearchQuery>("q", "Type something to search for.");
        }

        if (text.Length > MaxLength)
        {
            return Outcome.Invalid<SearchQuery>("q", $"A search can be at most {MaxLength} characters; this one has {text.Length}.");
        }

        var words = new List<string>();
        var filters = new Dictionary<string, string>();
        var position = 0;
        while (NextToken(text, ref position) is { } token)
        {
            if (token.Filter is { } filter)
            {
                if (token.Value.Length == 0)
                {
                    return Outcome.Invalid<SearchQuery>(filter, $"{filter}: needs a value right after the colon, as in {Example(filter)}.");
                }

                if (filters.ContainsKey(filter))
                {
                    return Outcome.Invalid<SearchQuery>(filter, $"Use {filter}: once per search.");
                }

                filters[filter] = token.Value;
            }
            else if (token.Value.Any(char.IsLetterOrDigit))
            {
                words.Add(token.Value);
            }
        }

        if (words.Count == 0)
        {
            return Outcome.Invalid<SearchQuery>("q", "Type at least one word to search for (letters or digits, not only symbols or filters).");
        }

        if (words.Count > MaxWords)
        {
            return Outcome.Invalid<SearchQuery>("q", $"A search can have at most {MaxWords} words; this one has {words.Count}.");
        }

        DateOnly? before = null, after = null;
        foreach (var (name, value) in filters.Where(f => f.Key is "before" or "after"))
        {
            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return Outcome.Invalid<SearchQuery>(name, $"{name}: takes a date written as YYYY-MM-DD, as in {Example(name)}.");
            }

            if (name == "before")
            {
                before = day;
            }
            else
            {
                after = day;
            }
        }

        return new SearchQuery(words, filters.GetValueOrDefault("from"), filters.GetValueOrDefault("in"), before, after);
    }

    // The runs of letters and digits in a word: what both engines index, and what a result's marks are matched on.
    public static IEnumerable<(int Start, int Length)> WordRuns(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsWordChar(text, i);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return (start, i - start);
                start = -1;
            }
        }
    }

    // The second half of a surrogate pair goes with its first: a letter outside the Basic Multilingual Plane is one
    // letter, not a letter cut in half.
    private static bool IsWordChar(string text, int i) =>
        char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1])
            ? IsWordChar(text, i - 1)
            : char.IsLetterOrDigit(text, i) || CharUnicodeInfo.GetUnicodeCategory(text, i) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static string Example(string filter) => filter switch
    {
        "from" => "from:Ann or from:\"Ann Lee\"",
        "in" => "in:Planning",
        _ => $"{filter}:2026-03-01",
    };

    private static (string? Filter, string Value)? NextToken(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        if (position >= text.Length)
        {
            return null;
        }

        var colon = text.IndexOf(':', position);
        var name = colon > position && !text.AsSpan(position, colon - position).ContainsAny(" \t\r\n") ? text[position..colon] : null;
        var filter = Filters.FirstOrDefault(f => f.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (filter is null)
        {
            return (null, ReadUntilSpace(text, ref position));
        }

        position = colon + 1;
        if (position < text.Length && text[position] == '"')
        {
            var end = text.IndexOf('"', position + 1);
            var value = end < 0 ? text[(position + 1)..] : text[(position + 1)..end];
            position = end < 0 ? text.Length : end + 1;
            return (filter, value.Trim());
        }

        return (filter, position < text.Length && char.IsWhiteSpace(text[position]) ? string.Empty : ReadUntilSpace(text, ref position));
    }

    private static string ReadUntilSpace(string text, ref int position)
    {
        var value = new StringBuilder();
        while (position < text.Length && !char.IsWhiteSpace(text[position]))
        {
            value.Append(text[position++]);
        }

        return value.ToString();
    }
}
