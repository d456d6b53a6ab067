using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ChatMvc.Delivery;

/// <summary>
/// HTML kept encoded as UTF-8, the way it leaves the app: a page writer (<see cref="PageWriter"/>) copies it into the
/// response as it is, with no characters to copy or encode again. Any other writer gets the text.
/// </summary>
public sealed class Utf8Html(byte[] utf8) : IHtmlContent
{
    public static Utf8Html From(string html) => new(Encoding.UTF8.GetBytes(html));

    public int Length => utf8.Length;

    public void WriteTo(TextWriter writer, HtmlEncoder encoder)
    {
        if (writer is PageWriter page)
        {
            page.WriteUtf8(utf8);
        }
        else
        {
            writer.Write(Encoding.UTF8.GetString(utf8));
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(utf8);
}
