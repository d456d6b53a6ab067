using System.Xml.Linq;
using ChatMvc.Data;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ChatMvc.Accounts;

// Data Protection keys kept in the database, so sign-in cookies and antiforgery tokens survive restarts and
// are honoured by every instance behind the load balancer.
public sealed class DatabaseXmlRepository(ChatDb db) : IXmlRepository
{
    // IXmlRepository is synchronous. Both drivers open connections synchronously anyway, and the key ring is
    // read once and then cached for hours, so blocking here costs nothing worth an async detour.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id")
            .Select(xml => XElement.Parse(xml))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.OpenAsync().GetAwaiter().GetResult();
        connection.Execute(
            db.Dialect.Upsert("data_protection_keys", "friendly_name, xml", "@friendlyName, @xml", "friendly_name", ["xml"]),
            new
            {
                friendlyName = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString() : friendlyName,
                xml = element.ToString(SaveOptions.DisableFormatting),
            });
    }
}
