using System.Reflection;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;
using ChatMvc.Tests.Security;

namespace ChatMvc.Tests.Chat;

// The pages and controllers build their /conversations URLs with ChatUrls; a URL no route serves would be a dead
// link or a form that posts into a 404.
public sealed class ChatUrlsTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public void Every_url_chat_urls_builds_is_served_by_a_route_of_the_app()
    {
        var patterns = RouteTable.Of(app.Services).Select(row => row.Split(' ')[1]).Distinct().ToList();
        var urls = typeof(ChatUrls).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(method => (string)method.Invoke(null, method.GetParameters().Select(Example).ToArray())!)
            .Concat(typeof(ChatUrls).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (string)field.GetValue(null)!))
            .ToList();

        Assert.True(urls.Count >= 20, $"Only {urls.Count} URLs found on ChatUrls.");
        Assert.All(urls, url => Assert.Contains(patterns, pattern => Serves(pattern, url.Split('?', '#')[0])));
    }

    // Ids are numbers; a string is a value the URL carries in its query.
    private static object Example(ParameterInfo parameter) => parameter.ParameterType == typeof(string) ? "12" : 12L;

    private static bool Serves(string pattern, string path)
    {
        var expected = pattern.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        return expected.Length == actual.Length
            && expected.Zip(actual).All(pair => pair.First.StartsWith('{') || pair.First == pair.Second);
    }
}
