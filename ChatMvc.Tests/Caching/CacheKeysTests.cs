using System.Reflection;
using ChatMvc.Caching;

namespace ChatMvc.Tests.Caching;

public sealed class CacheKeysTests
{
    [Fact]
    public void A_change_drops_every_key_of_the_conversation_except_its_generation()
    {
        var perConversation = typeof(CacheKeys).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(string)
                && m.GetParameters() is [{ Name: "conversationId", ParameterType: var type }] && type == typeof(long))
            .Select(m => (string)m.Invoke(null, [42L])!)
            .ToList();

        Assert.Contains(CacheKeys.ConversationGeneration(42), perConversation);
        Assert.Equal(
            perConversation.Where(key => key != CacheKeys.ConversationGeneration(42)).Order(),
            CacheKeys.AllFor(42).Order());
    }

    [Fact]
    public void Keys_of_different_conversations_and_users_never_share_a_name()
    {
        string[] keys =
        [
            CacheKeys.ConversationGeneration(1), .. CacheKeys.AllFor(1),
            CacheKeys.ConversationGeneration(11), .. CacheKeys.AllFor(11),
            CacheKeys.Inbox(1), CacheKeys.Inbox(11),
        ];

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }
}
