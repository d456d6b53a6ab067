using System.Xml.Linq;
using ChatMvc.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ChatMvc.Accounts;

// Data Protection keys kept in the database, so sign-in cookies and antiforgery tokens survive restarts and
// are honoured by every instance behind the load balancer.
public sealed class DatabaseXmlRepository(DataProtectionKeyQueries keys) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => keys.All().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        keys.Store(
            string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString() : friendlyName,
            element.ToString(SaveOptions.DisableFormatting));
}
