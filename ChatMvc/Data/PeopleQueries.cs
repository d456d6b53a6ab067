using ChatMvc.Chat;
using Dapper;

namespace ChatMvc.Data;

public sealed class PeopleQueries(ChatDb db)
{
    // People, never bots: a bot only posts into its own conversation through its webhook.
    // Directory search by part of a display name, or by a whole email address: an address is private to its
    // owner, so typing one finds its account without letting anyone discover addresses a few letters at a time.
    // '!' escapes LIKE wildcards the same way on both engines. Emails are never selected.
    public async Task<IReadOnlyList<Person>> SearchAsync(string? query, long excludeUserId, int limit = 50, int offset = 0)
    {
        var text = (query ?? string.Empty).Trim();
        var pattern = "%" + text.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%";
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<Person>("""
            SELECT id, display_name, avatar_image_id FROM users
            WHERE deactivated_at IS NULL AND is_bot = 0 AND id <> @excludeUserId
              AND (display_name LIKE @pattern ESCAPE '!' OR normalized_email = @email)
            ORDER BY display_name, id
            LIMIT @limit OFFSET @offset
            """, new { excludeUserId, pattern, email = text.ToUpperInvariant(), limit, offset });
        return rows.ToList();
    }

    public async Task<long?> AvatarOfAsync(long userId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT avatar_image_id FROM users WHERE id = @userId", new { userId });
    }

    public async Task<IReadOnlyList<Person>> FindManyAsync(IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<Person>(
            "SELECT id, display_name, avatar_image_id FROM users WHERE id IN @ids AND deactivated_at IS NULL AND is_bot = 0 ORDER BY display_name",
            new { ids })).ToList();
    }
}
