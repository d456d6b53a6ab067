using Dapper;

namespace ChatMvc.Data;

// The Data Protection key ring, one XML element per key. Synchronous because IXmlRepository is: both drivers open
// connections synchronously anyway, and the key ring is read once and then cached for hours.
public sealed class DataProtectionKeyQueries(ChatDb db)
{
    public IReadOnlyList<string> All()
    {
        using var connection = db.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").ToList();
    }

    public void Store(string friendlyName, string xml)
    {
        using var connection = db.OpenAsync().GetAwaiter().GetResult();
        connection.Execute(
            db.Dialect.Upsert("data_protection_keys", "friendly_name, xml", "@friendlyName, @xml", "friendly_name", ["xml"]),
            new { friendlyName, xml });
    }
}
