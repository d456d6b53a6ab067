using ChatMvc.Chat;
using ChatMvc.Data;

namespace ChatMvc.Tests.Chat;

// The search box's small language: words, and from:, in:, before:, after: filters. Nothing else is syntax.
public sealed class SearchQueryTests
{
    private static SearchQuery Parsed(string text) =>
        Assert.IsType<Outcome<SearchQuery>.Done>(SearchQuery.Parse(text)).Value;

    private static FieldError Refused(string? text) =>
        Assert.IsType<Outcome<SearchQuery>.Invalid>(SearchQuery.Parse(text)).Errors[0];

    [Fact]
    public void Words_and_filters_are_told_apart_and_filter_names_ignore_case()
    {
        var query = Parsed("budget FROM:ann in:\"Budget planning\" review before:2026-03-01 After:2026-01-31");

        Assert.Equal(["budget", "review"], query.Words);
        Assert.Equal("ann", query.From);
        Assert.Equal("Budget planning", query.In);
        Assert.Equal(new DateOnly(2026, 3, 1), query.Before);
        Assert.Equal(new DateOnly(2026, 1, 31), query.After);
    }

    [Fact]
    public void Anything_else_with_a_colon_is_a_word()
    {
        Assert.Equal(["https://example.com", "to:bo", "10:30"], Parsed("https://example.com to:bo 10:30").Words);
    }

    [Fact]
    public void Symbols_alone_are_dropped_and_search_syntax_stays_in_the_words_for_the_engines_to_quote()
    {
        Assert.Equal(["\"plum", "NEAR(plum", "plum*"], Parsed("\"plum * NEAR(plum - + plum* ( )").Words);
    }

    [Fact]
    public void An_unclosed_quote_in_a_filter_runs_to_the_end()
    {
        var query = Parsed("plum from:\"Ann Lee");

        Assert.Equal("Ann Lee", query.From);
        Assert.Equal(["plum"], query.Words);
    }

    [Theory]
    [InlineData(null, "q", "Type something")]
    [InlineData("  ", "q", "Type something")]
    [InlineData("\" * - + @ ( ) ^", "q", "at least one word")]
    [InlineData("from:ann", "q", "at least one word")]
    [InlineData("plum from:", "from", "needs a value")]
    [InlineData("plum from: ann", "from", "needs a value")]
    [InlineData("plum in:a in:b", "in", "once per search")]
    [InlineData("plum before:2026-13-01", "before", "YYYY-MM-DD")]
    [InlineData("plum after:last-week", "after", "YYYY-MM-DD")]
    public void A_query_that_cannot_run_is_refused_on_its_field_with_a_message(string? text, string field, string message)
    {
        var error = Refused(text);

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Over_the_length_or_word_limit_is_refused_naming_the_limit()
    {
        Assert.Contains($"at most {SearchQuery.MaxLength} characters", Refused(new string('a', SearchQuery.MaxLength + 1)).Message);
        Assert.Contains($"at most {SearchQuery.MaxWords} words", Refused(string.Join(' ', Enumerable.Repeat("w", SearchQuery.MaxWords + 1))).Message);
        Assert.Single(Parsed(new string('a', SearchQuery.MaxLength)).Words);
    }

    // SQLite gets one FTS5 query of quoted phrases; MySQL the index words (single letters are not indexed).
    [Fact]
    public async Task Each_engine_gets_every_word_as_plain_text_so_none_acts_as_syntax()
    {
        string[] words = ["say \"hi", "NEAR(plum", "e-mail", "-x", "Crème", "PLUM"];

        Assert.Equal(["\"say \"\"hi\" \"NEAR(plum\" \"e-mail\" \"-x\" \"Crème\" \"PLUM\""], await new SqliteDialect().MessageSearchTermsAsync(null!, words));
        Assert.Equal(["say", "hi", "near", "plum", "mail", "creme"], MessageWords.OfSearch(words));
    }

    [Fact]
    public void A_message_is_indexed_by_its_distinct_words_folded_and_cut_as_the_search_folds_them()
    {
        var words = MessageWords.Of("Café CAFE café, a I x2 \U0001D400\U0001D401 " + new string('z', 40) + " l'été");

        Assert.Equal(["cafe", "x2", "\U0001D400\U0001D401", new string('z', MessageWords.MaxLength), "ete"], words);
    }
}
