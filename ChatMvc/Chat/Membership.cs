using System.Globalization;

namespace ChatMvc.Chat;

// The signed-in person's place in the conversation a request names, as the membership check found it: every
// route under /conversations/{id}, page or API, is let through only with one, and owner-only routes read its role.
public sealed record Membership(long ConversationId, long UserId, string Role, ConversationHead? CachedHead)
{
    public bool IsOwner => Role == MemberRoles.Owner;

    public static Membership? Of(HttpContext http) => http.Items[typeof(Membership)] as Membership;

    // Null for a non-member and for an id that does not exist alike, so the two cannot be told apart. The member
    // list and head come from the cache in one round trip.
    public static async Task<Membership?> CheckAsync(HttpContext http, ConversationCache cache, string? rawId)
    {
        if (!long.TryParse(rawId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || await cache.AccessAsync(id, http.User.UserId()) is not ({ } role, var head))
        {
            return null;
        }

        var membership = new Membership(id, http.User.UserId(), role, head);
        http.Items[typeof(Membership)] = membership;
        return membership;
    }
}
