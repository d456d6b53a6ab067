using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;

namespace ChatMvc.Data;

// The word index message search reads on MySQL/MariaDB: one message_words row per distinct word of a text message,
// written in the same transaction as the send or edit that changed the text (and removed with it on delete).
// InnoDB's FULLTEXT index could only hand over every match before the newest could be picked (seconds for a common
// word over 1,000,000 messages); keyed on (word, message_id) the newest matches are read first and the read stops at
// the page. SQLite keeps FTS5, which can already walk its matches newest first.
public static class MessageWords
{
    // The migration that creates message_words; the backfill runs once it is applied.
    public const int MigrationVersion = 14;

    // Single letters are left out (InnoDB FULLTEXT left out words under three): each finds nearly every message.
    public const int MinLength = 2;

    // Longer runs (hashes, pasted tokens) are cut, in the index and in the search alike.
    public const int MaxLength = 32;

    // Adds @words (a JSON array of index words, built by Json) for message @id in @conversationId. One statement
    // whatever the number of words, so it rides in the command the send already makes.
    public const string InsertSql = """
        INSERT INTO message_words (word, message_id, conversation_id)
        SELECT j.word, @id, @conversationId FROM JSON_TABLE(@words, '$[*]' COLUMNS (word VARCHAR(32) PATH '$')) j;
        """;

    // The words of an edited or deleted message @id are replaced by @words (an empty array after a delete).
    public const string ReplaceSql = """
        DELETE FROM message_words WHERE message_id = @id;
        INSERT INTO message_words (word, message_id, conversation_id)
        SELECT j.word, @id, @conversationId FROM JSON_TABLE(@words, '$[*]' COLUMNS (word VARCHAR(32) PATH '$')) j;
        """;

    private const int BackfillWindow = 5000;

    // How many rows of a word the search counts, at most, to find its rarest word.
    private const int RarityCap = 5000;

    // The distinct index words of a text: its runs of letters and digits, folded to lower case without accents (as
    // the search compares words), from MinLength characters, cut at MaxLength.
    public static IReadOnlyList<string> Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (start, length) in Chat.SearchQuery.WordRuns(text))
        {
            if (Fold(text.Substring(start, length)) is { } word && seen.Add(word))
            {
                words.Add(word);
            }
        }

        return words;
    }

    // The index words of what a person typed into the search box, each of which must occur.
    public static IReadOnlyList<string> OfSearch(IEnumerable<string> words) =>
        Of(string.Join(' ', words));

    public static string Json(IReadOnlyList<string> words) => JsonSerializer.Serialize(words);

    // The terms ordered rarest first (the search reads the first one's rows and tests the others), or empty when a
    // term is in no message at all and nothing can match. Counting stops at RarityCap rows a word: enough to tell a
    // rare word from a common one without reading a common word's every row.
    public static async Task<IReadOnlyList<string>> RarestFirstAsync(DbConnection connection, IReadOnlyList<string> terms)
    {
        var parameters = new DynamicParameters(new { cap = RarityCap });
        var counts = new List<string>();
        for (var i = 0; i < terms.Count; i++)
        {
            parameters.Add($"term{i}", terms[i]);
            counts.Add($"SELECT {i} AS term, COUNT(*) AS found FROM (SELECT 1 FROM message_words WHERE word = @term{i} LIMIT @cap) t{i}");
        }

        var found = (await connection.QueryAsync<(long Term, long Found)>(string.Join("\nUNION ALL\n", counts), parameters)).ToList();
        return found.Any(f => f.Found == 0) ? [] : found.OrderBy(f => f.Found).ThenBy(f => f.Term).Select(f => terms[(int)f.Term]).ToList();
    }

    // Indexes the text messages the write path did not: those stored before the word index existed, or by something
    // other than this app (a restore, a bulk load). It runs with the migrations, so a started app finds every message,
    // and again at each start for the messages since the last (those the app sent are skipped as already indexed).
    // Windows of message ids each commit on their own, with the messages locked so that an edit or a delete waits
    // instead of being overwritten with old words; indexed_through remembers how far it got.
    public static async Task<long> BackfillAsync(DbConnection connection, ILogger logger, CancellationToken cancellationToken = default)
    {
        var (from, through) = await connection.QuerySingleAsync<(long From, long Through)>(
            "SELECT indexed_through, (SELECT COALESCE(MAX(id), 0) FROM messages) FROM message_words_progress WHERE id = 1");
        if (from >= through)
        {
            return 0;
        }

        logger.LogInformation("Indexing the words of messages {From} to {Through} for search", from + 1, through);
        long indexed = 0;
        for (var start = from; start < through; start += BackfillWindow)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + BackfillWindow, through);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var messages = (await connection.QueryAsync<(long Id, long ConversationId, string Body)>(
                """
                SELECT m.id, m.conversation_id, m.body FROM messages m
                WHERE m.id > @start AND m.id <= @end AND m.kind = 'text' AND m.deleted_at IS NULL AND m.body IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM message_words w WHERE w.message_id = m.id)
                FOR UPDATE
                """,
                new { start, end }, transaction)).ToList();
            var rows = messages.SelectMany(m => Of(m.Body).Select(word => new object[] { word, m.Id, m.ConversationId })).ToList();
            if (rows.Count > 0)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT IGNORE INTO message_words (word, message_id, conversation_id)
                    SELECT j.word, j.message_id, j.conversation_id FROM JSON_TABLE(@rows, '$[*]' COLUMNS (
                        word VARCHAR(32) PATH '$[0]', message_id BIGINT PATH '$[1]', conversation_id BIGINT PATH '$[2]')) j
                    """,
                    new { rows = JsonSerializer.Serialize(rows) }, transaction);
            }

            await connection.ExecuteAsync(
                "UPDATE message_words_progress SET indexed_through = GREATEST(indexed_through, @end) WHERE id = 1",
                new { end }, transaction);
            await transaction.CommitAsync(cancellationToken);
            indexed += messages.Count;
        }

        logger.LogInformation("Indexed the words of {Count} messages for search", indexed);
        return indexed;
    }

    private static string? Fold(string run)
    {
        var folded = new StringBuilder(run.Length);
        foreach (var c in run.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }

        var word = folded.ToString().Normalize(NormalizationForm.FormC);
        if (word.Length > MaxLength)
        {
            word = word[..(char.IsHighSurrogate(word[MaxLength - 1]) ? MaxLength - 1 : MaxLength)];
        }

        return word.Length >= MinLength ? word : null;
    }
}
