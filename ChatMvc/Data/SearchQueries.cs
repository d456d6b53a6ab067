using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

// What to find, already resolved to ids and instants: messages with every word, in the searcher's conversations.
// BeforeMs and AfterMs are exclusive; BeforeId is the paging cursor (results come newest first).
public sealed record MessageSearchFilter(
    IReadOnlyList<string> Words,
    IReadOnlyList<long>? ConversationIds = null,
    IReadOnlyList<long>? SenderIds = null,
    long? BeforeMs = null,
    long? AfterMs = null,
    long? BeforeId = null,
    int Limit = 20);

public sealed record SearchRow(MessageView Message, string ConversationTitle, string? MarkedBody);

public sealed class SearchQueries(ChatDb db)
{
    // Only conversations the searcher is a member of, and only text that is neither deleted nor a system notice:
    // the membership join in the engine's hits query is what keeps other people's conversations out, whatever the
    // filters say.
    public async Task<IReadOnlyList<SearchRow>> FindAsync(long userId, MessageSearchFilter filter)
    {
        var dialect = db.Dialect;
        await using var connection = await db.OpenAsync();
        var terms = await dialect.MessageSearchTermsAsync(connection, filter.Words);
        if (terms.Count == 0)
        {
            // Nothing the index holds (only single letters, or a word no message has): nothing can match.
            return [];
        }

        var conditions = new List<string>
        {
            "m.kind = 'text'",
            "m.deleted_at IS NULL",
        };
        if (filter.ConversationIds is not null)
        {
            conditions.Add("m.conversation_id IN @conversationIds");
        }

        if (filter.SenderIds is not null)
        {
            conditions.Add("m.sender_id IN @senderIds");
        }

        if (filter.BeforeMs is not null)
        {
            conditions.Add("m.created_at < @beforeMs");
        }

        if (filter.AfterMs is not null)
        {
            conditions.Add("m.created_at > @afterMs");
        }

        if (filter.BeforeId is not null)
        {
            conditions.Add($"{dialect.MessageSearchId} < @beforeId");
        }

        var parameters = new DynamicParameters(new
        {
            userId,
            conversationIds = filter.ConversationIds,
            senderIds = filter.SenderIds,
            beforeMs = filter.BeforeMs,
            afterMs = filter.AfterMs,
            beforeId = filter.BeforeId,
            limit = filter.Limit,
        });
        for (var i = 0; i < terms.Count; i++)
        {
            parameters.Add($"term{i}", terms[i]);
        }

        // The page of matches is found first, on the index alone; the message, its conversation and the rest are
        // read for that page only.
        var rows = await connection.QueryAsync<MessageView, SearchRowExtras, SearchRow>(
            $"""
            {MessageQueries.MessageColumns(dialect)},
                   c.kind AS conversation_kind, c.title AS conversation_title,
                   (SELECT ou.display_name FROM conversation_members o JOIN users ou ON ou.id = o.user_id
                     WHERE o.conversation_id = c.id AND o.user_id <> @userId ORDER BY o.joined_at LIMIT 1) AS other_member_name,
                   hits.marked_body
            FROM ({dialect.MessageSearchHits(terms.Count, conditions)}) hits
            {dialect.OrderedJoin} messages m ON m.id = hits.message_id
            {dialect.OrderedJoin} conversations c ON c.id = m.conversation_id
            {MessageQueries.MessageJoins}
            ORDER BY m.id DESC
            """,
            (message, extras) => new SearchRow(
                message,
                new ConversationSummary { Kind = extras.ConversationKind, Title = extras.ConversationTitle, OtherMemberName = extras.OtherMemberName }.DisplayTitle,
                extras.MarkedBody),
            parameters,
            splitOn: "conversation_kind");
        var hits = rows.ToList();
        var messages = await ReactionQueries.AttachAsync(connection, hits.Select(hit => hit.Message).ToList());
        return hits.Select((hit, i) => hit with { Message = messages[i] }).ToList();
    }

    public sealed record SearchRowExtras
    {
        public string ConversationKind { get; init; } = Chat.ConversationKind.Direct;

        public string? ConversationTitle { get; init; }

        public string? OtherMemberName { get; init; }

        public string? MarkedBody { get; init; }
    }
}
