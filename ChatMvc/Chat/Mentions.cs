namespace ChatMvc.Chat;

public sealed record MentionedPerson(long UserId, string? Written);

// Who a message's text reaches. Everyone is true when @everyone reached every other member; those not also named
// have no Written.
public sealed record ResolvedMentions(IReadOnlyList<MentionedPerson> People, bool Everyone)
{
    public static readonly ResolvedMentions None = new([], false);
}

// @Display Name, typed in full (the picker types it the same way), names a member; the server decides, so a mention
// works without JavaScript and cannot name someone outside the conversation.
public static class Mentions
{
    public const string Everyone = "everyone";

    public static ResolvedMentions Resolve(string? text, IReadOnlyList<Member> members, long senderId, bool everyoneAllowed)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('@'))
        {
            return ResolvedMentions.None;
        }

        // Longest first, so "@Ann Lee" names Ann Lee rather than a member called Ann.
        var others = members.Where(m => m.UserId != senderId && m.DisplayName.Length > 0)
            .OrderByDescending(m => m.DisplayName.Length).ToList();
        var written = new Dictionary<long, string>();
        var everyone = false;
        foreach (var at in MentionStarts(text))
        {
            if (everyoneAllowed && NameAt(text, at + 1, Everyone))
            {
                everyone = true;
            }
            else if (others.FirstOrDefault(m => NameAt(text, at + 1, m.DisplayName)) is { } member)
            {
                written.TryAdd(member.UserId, text.Substring(at + 1, member.DisplayName.Length));
            }
        }

        List<MentionedPerson> people = [.. written.Select(w => new MentionedPerson(w.Key, w.Value))];
        if (everyone)
        {
            people.AddRange(others.Where(m => !written.ContainsKey(m.UserId)).Select(m => new MentionedPerson(m.UserId, null)));
        }

        return new ResolvedMentions(people, everyone);
    }

    // The text with the message's mentions as segments of their own (their value without the @), for the highlight.
    public static IEnumerable<TextSegment> Mark(IEnumerable<TextSegment> segments, MessageView message)
    {
        var names = message.MentionedNames.Concat(message.MentionsEveryone ? [Everyone] : [])
            .Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(n => n.Length).ToList();
        foreach (var segment in segments)
        {
            if (segment.Kind != SegmentKind.Text || names.Count == 0)
            {
                yield return segment;
                continue;
            }

            var text = segment.Value;
            var position = 0;
            foreach (var at in MentionStarts(text))
            {
                if (at < position || names.FirstOrDefault(n => NameAt(text, at + 1, n)) is not { } name)
                {
                    continue;
                }

                if (at > position)
                {
                    yield return new TextSegment(SegmentKind.Text, text[position..at]);
                }

                yield return new TextSegment(SegmentKind.Mention, text.Substring(at + 1, name.Length));
                position = at + 1 + name.Length;
            }

            if (position < text.Length)
            {
                yield return new TextSegment(SegmentKind.Text, text[position..]);
            }
        }
    }

    // An @ that starts a word: not the one inside an email address.
    private static IEnumerable<int> MentionStarts(string text)
    {
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            if (at == 0 || !char.IsLetterOrDigit(text[at - 1]))
            {
                yield return at;
            }
        }
    }

    // The name, in any case, followed by the end of the text or by something that cannot continue a name.
    private static bool NameAt(string text, int start, string name) =>
        start + name.Length <= text.Length
        && string.Compare(text, start, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (start + name.Length == text.Length || !char.IsLetterOrDigit(text[start + name.Length]));
}
