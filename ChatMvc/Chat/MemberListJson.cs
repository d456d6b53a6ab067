using System.Text.Json;

namespace ChatMvc.Chat;

// A conversation's member list as the cache keeps it.
public static class MemberListJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(IReadOnlyList<MemberRole> members) => JsonSerializer.Serialize(members, Json);

    public static IReadOnlyList<MemberRole> Deserialize(string json) => JsonSerializer.Deserialize<MemberRole[]>(json, Json) ?? [];

    // One member's role read straight from the cached list, without building the list: deserialising it is
    // about 6 us for 50 members and grows with the group, against about 55 us of CPU for a whole idle poll
    // (bench/run.sh).
    public static string? RoleIn(string json, long userId)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        long? id = null;
        string? role = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    (id, role) = (null, null);
                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("userId"u8):
                    reader.Read();
                    id = reader.GetInt64();
                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("role"u8):
                    reader.Read();
                    role = reader.GetString();
                    break;
                case JsonTokenType.EndObject when id == userId:
                    return role;
            }
        }

        return null;
    }
}
