using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using ChatMvc.Data;
using ChatMvc.Images;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Images;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Security;

// A corpus of bad input through the forms and the API: oversize fields and bodies, control characters and bytes
// that are not UTF-8, deep JSON, huge and negative numbers, path tricks in ids, wrong content types, forged
// antiforgery tokens, used-up invites, duplicate keys, wrong types and empty bodies. Every case is refused with a
// 4xx and a message (problem details from the API, an error on the page from a form) and stores nothing. SQL and
// script in text fields are not bad input: they are stored as typed and shown as text.
public abstract class BadInputTests<TApp>(BadInputTests<TApp>.World world) : IClassFixture<BadInputTests<TApp>.World>
    where TApp : ChatAppFactory, new()
{
    private const string NotAccepted = "The form was not accepted";
    private const string Unreadable = "can only hold text";
    private const string NotValidJson = "not valid JSON";

    private static readonly HtmlParser Parser = new();

    private static readonly IReadOnlyDictionary<string, Bad> RefusedCases = Refused();

    private static readonly IReadOnlyDictionary<string, Typed> TextCases = Texts();

    public static TheoryData<string> RefusedNames => new(RefusedCases.Keys);

    public static TheoryData<string> TextNames => new(TextCases.Keys);

    [Fact]
    public void The_corpus_holds_over_two_hundred_cases() => Assert.True(RefusedCases.Count + TextCases.Count > 200);

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task Bad_input_gets_a_4xx_that_says_what_is_wrong_and_stores_nothing(string name)
    {
        var bad = RefusedCases[name];
        var before = await world.FingerprintAsync();

        using var response = await world.Client.SendAsync(bad.Request(world));
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;

        Assert.True(status is >= 400 and < 500 && (bad.Status is null || status == bad.Status), $"Got {status}, expected {bad.Status?.ToString() ?? "4xx"}: {Snippet(text)}");
        if (response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(text);
            var detail = problem.RootElement.GetProperty("detail").GetString();
            Assert.False(string.IsNullOrWhiteSpace(detail), $"No detail in {text}");
            Assert.True(bad.Says is null || text.Contains(bad.Says, StringComparison.OrdinalIgnoreCase), $"Expected '{bad.Says}' in {text}");
        }
        else
        {
            var page = Parser.ParseDocument(text);
            var said = page.QuerySelector("main")?.TextContent ?? string.Empty;
            Assert.True(said.Contains(bad.Says!, StringComparison.OrdinalIgnoreCase), $"Expected '{bad.Says}' on the page: {Snippet(said)}");
        }

        Assert.Equal(before, await world.FingerprintAsync());
    }

    [Theory]
    [MemberData(nameof(TextNames))]
    public async Task Sql_and_script_in_text_fields_are_stored_as_typed_and_shown_as_text(string name)
    {
        var typed = TextCases[name];

        using var response = await world.Client.SendAsync(typed.Request(world));

        Assert.True((int)response.StatusCode is >= 200 and < 400, $"Got {(int)response.StatusCode}: {Snippet(await response.Content.ReadAsStringAsync())}");
        var (stored, shownAt, shown) = typed.Where;
        Assert.Equal(typed.Value, await world.ScalarAsync<string>(stored(world, response)));
        using var page = await world.Client.SendAsync(world.Bo.Sign(new HttpRequestMessage(HttpMethod.Get, shownAt(world, response)), api: false));
        var document = Parser.ParseDocument(await page.Content.ReadAsStringAsync());
        Assert.Contains(typed.Value, shown(document));
        Assert.Empty(document.QuerySelectorAll("script:not([src]), [onerror], [onload], main svg"));
    }

    private static string Snippet(string text) => text.Length > 600 ? text[..600] : text;

    // ---- The refused cases ----

    private static Dictionary<string, Bad> Refused()
    {
        var cases = new Dictionary<string, Bad>();
        OversizeFields(cases);
        ControlCharactersAndBadUtf8(cases);
        DeepJson(cases);
        HugeAndOddNumbers(cases);
        PathTricks(cases);
        WrongContentTypes(cases);
        ForgedAntiforgery(cases);
        UsedUpInvites(cases);
        JsonOfTheWrongShape(cases);
        EmptyBodies(cases);
        BadFiles(cases);
        return cases;
    }

    private static void OversizeFields(Dictionary<string, Bad> cases)
    {
        var tooLong = "At most 4000 characters";
        cases.Add("page send: a body of 4,001 characters", new(w => SendPage(w, new string('x', 4001)), 400, tooLong));
        cases.Add("page send: a body of 100,000 characters", new(w => SendPage(w, new string('x', 100_000)), 400, tooLong));
        cases.Add("page send: a body of 2,001 emoji (4,002 UTF-16 units)", new(w => SendPage(w, string.Concat(Enumerable.Repeat("😀", 2001))), 400, tooLong));
        cases.Add("page send: a body of 5 MB, over the form value limit", new(w => SendPage(w, new string('x', 5 * 1024 * 1024)), 400, NotAccepted));
        cases.Add("api send: a body of 4,001 characters", new(w => SendApi(w, new string('x', 4001)), 400, tooLong));
        cases.Add("api send: a body of 60,000 characters", new(w => SendApi(w, new string('x', 60_000)), 400, tooLong));
        cases.Add("api send: a request of 70 KB, over the JSON limit", new(w => SendApiWithLength(w, new string('x', 70_000)), 413, "too large"));
        cases.Add("api send: a request of 1 MB", new(w => SendApiWithLength(w, new string('x', 1024 * 1024)), 413, "too large"));
        // Kestrel stops a body sent without a length at the limit; the test server does not, and the length rule refuses it.
        cases.Add("api send: a request of 1 MB sent without a length", new(w => SendApi(w, new string('x', 1024 * 1024)), null, "at most 4000"));
        cases.Add("api send: a client message id of 65 characters", new(
            w => ApiJson(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", new { body = "fine", clientMessageId = new string('c', 65) }),
            400, "clientMessageId can be at most 64"));
        cases.Add("page edit: a body of 4,001 characters", new(w => EditPage(w, new string('x', 4001)), 400, tooLong));
        cases.Add("api edit: a body of 4,001 characters", new(w => EditApi(w, new string('x', 4001)), 400, tooLong));
        cases.Add("page profile: a name of 101 characters", new(w => ProfilePage(w, new string('n', 101)), 400, "1 to 100 characters"));
        cases.Add("api profile: a name of 101 characters", new(w => ProfileApi(w, new string('n', 101)), 400, "1 to 100 characters"));
        cases.Add("api register: a name of 101 characters", new(w => RegisterApi(w, new string('n', 101)), 400, "1 to 100 characters"));
        cases.Add("page register: a name of 101 characters", new(w => RegisterPage(w, new string('n', 101)), 400, "at most 100 characters"));
        cases.Add("api register: an email of 300 characters", new(
            w => RegisterApi(w, "Long Email", email: new string('e', 287) + "@example.test"), 400, "at most 256 characters"));
        cases.Add("page register: an email of 300 characters", new(
            w => RegisterPage(w, "Long Email", email: new string('e', 287) + "@example.test"), 400, "at most 256 characters"));
        cases.Add("page new group: a title of 101 characters", new(w => NewGroupPage(w, new string('t', 101)), 400, "at most 100 characters"));
        cases.Add("api new group: a title of 101 characters", new(w => NewGroupApi(w, new string('t', 101)), 400, "at most 100 characters"));
        cases.Add("page rename: a title of 101 characters", new(w => RenamePage(w, new string('t', 101)), 400, "1 to 100 characters"));
        cases.Add("page send photo: a description of 501 characters", new(w => PhotoPage(w, new string('a', 501)), 400, "at most 500 characters"));
        cases.Add("api send photo: a description of 501 characters", new(w => PhotoApi(w, new string('a', 501)), 400, "at most 500 characters"));
        cases.Add("page edit photo: a description of 501 characters", new(w => EditAltPage(w, new string('a', 501)), 400, "at most 500 characters"));
        cases.Add("api edit photo: a description of 501 characters", new(w => EditAltApi(w, new string('a', 501)), 400, "at most 500 characters"));
        cases.Add("page new conversation: 2,000 people chosen, over the form's field count", new(
            w => PagePost(w.Ann, "/conversations", [.. Enumerable.Range(1, 2000).Select(i => ("selected", $"{i}"))]), 400, NotAccepted));
        cases.Add("page send: a field name of 10,000 characters", new(
            w => PagePost(w.Ann, $"/conversations/{w.Group}/messages", ("Body", "hi"), (new string('k', 10_000), "v")), 400, NotAccepted));
        cases.Add("api new conversation: 5,000 ids of people who do not exist", new(
            w => ApiJson(w.Ann, HttpMethod.Post, "/api/v1/conversations", new { participantIds = Enumerable.Range(1_000_000, 5000).ToArray(), title = "Many" }),
            400, "no longer has an account"));
    }

    // The same characters through every field people type into, on the pages and in the API.
    private static void ControlCharactersAndBadUtf8(Dictionary<string, Bad> cases)
    {
        (string Name, string Value)[] everywhere =
        [
            ("a lone NUL", "\0"), ("NUL inside", "Hello\0world"), ("NUL at the end", "Hello\0"), ("a bell", "Ring\u0007"),
            ("an ANSI escape sequence", "\u001b[2J\u001b[31mred"), ("backspaces", "abc\b\b\bxyz"), ("a vertical tab", "a\u000bb"),
            ("a form feed", "a\u000cb"), ("DEL", "a\u007fb"), ("a C1 control", "a\u009bb"),
        ];
        (string Name, string Value)[] oneLine = [("a line break", "Ann\nAdmin"), ("a tab", "Ann\tB"), ("a carriage return", "Ann\rB")];
        // Names and titles sit inside sentences, where these would reorder the words around them.
        (string Name, string Value)[] direction =
        [
            ("a right-to-left override", "\u202Egnp.exe"), ("a right-to-left isolate", "Ann\u2067B\u2069"), ("a right-to-left mark", "Ann\u200F"),
            ("a left-to-right embedding", "\u202AAnn"), ("an Arabic letter mark", "Ann\u061C"),
        ];
        foreach (var (field, make, multiline, urlEncoded) in TextFields())
        {
            foreach (var (name, value) in multiline ? everywhere : everywhere.Concat(oneLine))
            {
                // A browser sends NUL in a url-encoded form as %00, which the framework itself refuses to read.
                cases.Add($"{field}: {name}", new(w => make(w, value), 400, urlEncoded && value.Contains('\0') ? NotAccepted : Unreadable));
            }

            foreach (var (name, value) in multiline ? [] : direction)
            {
                cases.Add($"{field}: {name}", new(w => make(w, value), 400, "change the direction of the text"));
            }
        }

        // Raw bytes: a NUL as is, and bytes that are not UTF-8, which arrive in a form as U+FFFD and make JSON invalid.
        (string Name, byte[] Bytes, string JsonSays)[] rawBytes =
        [
            ("a raw NUL byte", [0x00], NotValidJson), ("an invalid byte 0xFF", [0xFF], "not UTF-8"), ("a cut-off sequence 0xC3 0x28", [0xC3, 0x28], "not UTF-8"),
        ];
        foreach (var (name, bytes, jsonSays) in rawBytes)
        {
            cases.Add($"page send: {name}", new(w => PageRaw(w.Ann, $"/conversations/{w.Group}/messages", FormBytes(w.Ann, ("Body", bytes))), 400, Unreadable));
            cases.Add($"page edit: {name}", new(w => PageRaw(w.Ann, $"/conversations/{w.Group}/messages/{w.Message}", FormBytes(w.Ann, ("body", bytes))), 400, Unreadable));
            cases.Add($"page profile: {name}", new(w => PageRaw(w.Ann, "/profile", FormBytes(w.Ann, ("displayName", bytes))), 400, Unreadable));
            cases.Add($"page rename: {name}", new(w => PageRaw(w.Ann, $"/conversations/{w.Group}/title", FormBytes(w.Ann, ("title", bytes))), 400, Unreadable));
            cases.Add($"page new group: {name}", new(
                w => PageRaw(w.Ann, "/conversations", FormBytes(w.Ann, ("selected", Encoding.ASCII.GetBytes($"{w.Bo.Id}")), ("title", bytes))), 400, Unreadable));
            cases.Add($"api send: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", JsonBytes("body", bytes)), 400, jsonSays));
            cases.Add($"api edit: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Patch, $"/api/v1/conversations/{w.Group}/messages/{w.Message}", JsonBytes("body", bytes)), 400, jsonSays));
            cases.Add($"api profile: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Put, "/api/v1/users/me", JsonBytes("displayName", bytes)), 400, jsonSays));
            cases.Add($"api new group: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Post, "/api/v1/conversations", JsonBytes("title", bytes)), 400, jsonSays));
            cases.Add($"api send photo: {name}", new(w => PhotoMultipartRaw(w, "alt", bytes), 400, Unreadable));
        }

        cases.Add("api send: an overlong encoding of '/' (0xC0 0xAF)", new(
            w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", JsonBytes("body", [0xC0, 0xAF])), 400, "not UTF-8"));
        cases.Add("api send: an encoded surrogate (0xED 0xA0 0x80)", new(
            w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", JsonBytes("body", [0xED, 0xA0, 0x80])), 400, "not UTF-8"));
        cases.Add("page send: a percent-encoded NUL, the token in the form", new(
            w => PageRaw(w.Ann, $"/conversations/{w.Group}/messages", Encoding.ASCII.GetBytes($"Body=a%00b&{Caller.AntiforgeryField}={Uri.EscapeDataString(w.Ann.AntiforgeryToken)}")),
            400, NotAccepted));
        cases.Add("page send: a percent-encoded NUL, the token in the header as htmx sends it", new(
            w => PageRawWithHeaderToken(w.Ann, $"/conversations/{w.Group}/messages", "Body=a%00b", "application/x-www-form-urlencoded"), 400, NotAccepted));
        cases.Add("page profile: a percent-encoded NUL, the token in the header as htmx sends it", new(
            w => PageRawWithHeaderToken(w.Ann, "/profile", "displayName=a%00b", "application/x-www-form-urlencoded"), 400, NotAccepted));
        cases.Add("page rename: a percent-encoded NUL, the token in the header as htmx sends it", new(
            w => PageRawWithHeaderToken(w.Ann, $"/conversations/{w.Group}/title", "title=a%00b", "application/x-www-form-urlencoded"), 400, NotAccepted));
        foreach (var (field, method, url, key) in JsonTextFields())
        {
            cases.Add($"{field}: half a surrogate pair, escaped", new(w => ApiRaw(w.Ann, method, url(w), $$"""{"{{key}}": "a\ud800b", "participantIds": [{{w.Bo.Id}}]}"""), 400));
        }
    }

    private static void DeepJson(Dictionary<string, Bad> cases)
    {
        var arrays = new string('[', 10_000) + new string(']', 10_000);
        var objects = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        var justTooDeep = new string('[', 65) + new string(']', 65);
        cases.Add("api send: arrays nested 10,000 deep", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", $"{{\"body\": {arrays}}}"), 400, NotValidJson));
        cases.Add("api send: objects nested 10,000 deep", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", $"{{\"body\": {objects}}}"), 400, NotValidJson));
        cases.Add("api send: a body that is only arrays nested 10,000 deep", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", arrays), 400, "must be a JSON object"));
        cases.Add("api new conversation: ids nested 65 deep", new(w => ApiRaw(w.Ann, HttpMethod.Post, "/api/v1/conversations", $"{{\"participantIds\": {justTooDeep}}}"), 400, NotValidJson));
        cases.Add("api add member: user id nested 65 deep", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/members", $"{{\"userId\": {justTooDeep}}}"), 400, NotValidJson));
        cases.Add("api profile: name nested 65 deep", new(w => ApiRaw(w.Ann, HttpMethod.Put, "/api/v1/users/me", $"{{\"displayName\": {justTooDeep}}}"), 400, NotValidJson));
        cases.Add("api register: arrays nested 10,000 deep", new(w => ApiRaw(null, HttpMethod.Post, "/api/v1/auth/register", $"{{\"email\": {arrays}}}"), 400, NotValidJson));
        cases.Add("api sign in: arrays nested 10,000 deep", new(w => ApiRaw(null, HttpMethod.Post, "/api/v1/auth/login", $"{{\"password\": {arrays}}}"), 400, NotValidJson));
        cases.Add("api edit: arrays nested 10,000 deep", new(w => ApiRaw(w.Ann, HttpMethod.Patch, $"/api/v1/conversations/{w.Group}/messages/{w.Message}", $"{{\"body\": {arrays}}}"), 400, NotValidJson));
    }

    private static void HugeAndOddNumbers(Dictionary<string, Bad> cases)
    {
        const string Huge = "99999999999999999999";
        string[] notIds = [Huge, "-1", "0", "NaN", "1e3", "0x10", "+1", "1.0", "Infinity"];
        foreach (var id in notIds)
        {
            cases.Add($"page window: conversation id {id}", new(w => PageGet(w.Ann, $"/conversations/{id}"), 404, "Not found"));
            cases.Add($"api conversation: id {id}", new(w => ApiGet(w.Ann, $"/api/v1/conversations/{id}"), 404));
        }

        cases.Add("page edit: message id " + Huge, new(w => PageGet(w.Ann, $"/conversations/{w.Group}/messages/{Huge}/edit"), 404, "Not found"));
        cases.Add("page edit: message id -1", new(w => PageGet(w.Ann, $"/conversations/{w.Group}/messages/-1/edit"), 404, "Not found"));
        cases.Add("page delete: message id " + Huge, new(w => PagePost(w.Ann, $"/conversations/{w.Group}/messages/{Huge}/delete"), 404, "Not found"));
        cases.Add("page save edit: message id NaN", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/messages/NaN", ("body", "x")), 404, "Not found"));
        cases.Add("page image: id " + Huge, new(w => PageGet(w.Ann, $"/images/{Huge}/thumb"), 404, "Not found"));
        cases.Add("page image: id -1", new(w => PageGet(w.Ann, "/images/-1/thumb"), 404, "Not found"));
        cases.Add("page profile of user " + Huge, new(w => PageGet(w.Ann, $"/users/{Huge}"), 404, "Not found"));
        cases.Add("page profile of user -1", new(w => PageGet(w.Ann, "/users/-1"), 404, "Not found"));
        cases.Add("page new conversation: person " + Huge, new(w => PagePost(w.Ann, "/conversations", ("selected", Huge)), 400, "Choose at least one person"));
        cases.Add("page new conversation: person -1", new(w => PagePost(w.Ann, "/conversations", ("selected", "-1")), 400, "no longer has an account"));
        cases.Add("page new conversation: person NaN", new(w => PagePost(w.Ann, "/conversations", ("selected", "NaN")), 400, "Choose at least one person"));
        cases.Add("page add member: person -1", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/members", ("selected", "-1")), 400, "Choose at least one person"));
        cases.Add("page add member: person " + Huge, new(w => PagePost(w.Ann, $"/conversations/{w.Group}/members", ("selected", Huge)), 400, "Choose at least one person"));
        cases.Add("page remove member: person " + Huge, new(w => PagePost(w.Ann, $"/conversations/{w.Group}/members/{Huge}/remove"), 404, "Not found"));
        cases.Add("page revoke invite: id " + Huge, new(w => PagePost(w.Ann, $"/conversations/{w.Group}/invites/{Huge}/revoke"), 404, "Not found"));
        cases.Add("page revoke invite: id -1", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/invites/-1/revoke"), 404, "Not found"));
        foreach (var hours in new[] { "99999999999", "-1", "0", "NaN", "8761", "1e3", "24.5" })
        {
            cases.Add($"page new invite: expires in {hours} hours", new(
                w => PagePost(w.Ann, $"/conversations/{w.Group}/invites", ("expiresInHours", hours)), 400, "Choose when the link expires"));
        }

        foreach (var (query, field) in new[]
        {
            ("before=" + Huge, "before"), ("after=NaN", "after"), ("before=1e3", "before"), ("limit=0", "limit"), ("limit=-1", "limit"),
            ("limit=101", "limit"), ("limit=NaN", "limit"), ("limit=99999999999", "limit"), ("before=1&after=2", "before"),
        })
        {
            cases.Add($"api messages: {query}", new(w => ApiGet(w.Ann, $"/api/v1/conversations/{w.Group}/messages?{query}"), 400, field));
        }

        foreach (var query in new[] { "page=0", "page=-1", "page=NaN", "page=2147483647", "pageSize=0", "pageSize=101", "pageSize=-5", "page=99999999999" })
        {
            cases.Add($"api people: {query}", new(w => ApiGet(w.Ann, $"/api/v1/users?{query}"), 400, query.Split('=')[0]));
        }

        cases.Add("api user: id " + Huge, new(w => ApiGet(w.Ann, $"/api/v1/users/{Huge}"), 404));
        cases.Add("api user: id -1", new(w => ApiGet(w.Ann, "/api/v1/users/-1"), 404, "There is no user -1"));
        cases.Add("api user picture: id -1", new(w => ApiGet(w.Ann, "/api/v1/users/-1/image"), 404, "There is no user -1"));
        cases.Add("api direct conversation with user " + Huge, new(w => ApiGet(w.Ann, $"/api/v1/conversations/with/{Huge}"), 404));
        cases.Add("api remove member: user " + Huge, new(w => ApiSend(w.Ann, HttpMethod.Delete, $"/api/v1/conversations/{w.Group}/members/{Huge}"), 404));
        cases.Add("api remove member: user -1", new(w => ApiSend(w.Ann, HttpMethod.Delete, $"/api/v1/conversations/{w.Group}/members/-1"), 404, "not a member"));
        cases.Add("api edit: message -1", new(w => ApiJson(w.Ann, HttpMethod.Patch, $"/api/v1/conversations/{w.Group}/messages/-1", new { body = "x" }), 404, "There is no message -1"));
        cases.Add("api delete: message " + Huge, new(w => ApiSend(w.Ann, HttpMethod.Delete, $"/api/v1/conversations/{w.Group}/messages/{Huge}"), 404));
        foreach (var (json, says) in new[]
        {
            ($"{{\"userId\": {Huge}}}", "userId must be a whole number"), ("{\"userId\": -1}", "There is no user -1"),
            ("{\"userId\": 1.5}", "userId must be a whole number"), ("{\"userId\": \"NaN\"}", "userId must be a whole number"),
            ("{\"userId\": 1e400}", "userId must be a whole number"), ("{\"userId\": NaN}", NotValidJson), ("{\"userId\": 0}", "There is no user 0"),
        })
        {
            cases.Add($"api add member: {json}", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/members", json), 400, says));
        }

        foreach (var (ids, says) in new[]
        {
            ($"[{Huge}]", "participantIds[0] must be a whole number"), ("[-1]", "no longer has an account"), ("[1.5]", "participantIds[0] must be a whole number"), ("[\"NaN\"]", "participantIds[0] must be a whole number"), ("[0]", "no longer has an account"),
        })
        {
            cases.Add($"api new conversation: participant ids {ids}", new(
                w => ApiRaw(w.Ann, HttpMethod.Post, "/api/v1/conversations", $"{{\"participantIds\": {ids}, \"title\": \"Odd\"}}"), 400, says));
        }
    }

    private static void PathTricks(Dictionary<string, Bad> cases)
    {
        var longDigits = new string('7', 5000);
        var longToken = new string('t', 10_000);
        foreach (var (name, path) in new[]
        {
            ("encoded dot-dot slashes", "/conversations/..%2F..%2Fprofile"), ("encoded dots and slashes", "/conversations/%2e%2e%2f%2e%2e%2fprofile"),
            ("an encoded slash between ids", "/conversations/1%2F2"), ("a backslash path", "/conversations/..%5C..%5Cprofile"),
            ("5,000 digits", $"/conversations/{longDigits}"), ("a semicolon and SQL", "/conversations/1;DROP%20TABLE%20messages"),
            ("an SQL condition", "/conversations/1%20OR%201=1"), ("a quote", "/conversations/1'"),
        })
        {
            cases.Add($"page window: id with {name}", new(w => PageGet(w.Ann, path), 404, "Not found"));
        }

        cases.Add("page edit: message id with encoded dot-dot", new(w => PageGet(w.Ann, $"/conversations/{w.Group}/messages/..%2F{w.Message}/edit"), 404, "Not found"));
        cases.Add("page image: variant with dot-dot slashes", new(w => PageGet(w.Ann, $"/images/{w.Image}/..%2F..%2F..%2Fetc%2Fpasswd"), 404, "Not found"));
        cases.Add("page image: variant of 5,000 characters", new(w => PageGet(w.Ann, $"/images/{w.Image}/{new string('v', 5000)}"), 404, "Not found"));
        cases.Add("page image: id with an encoded slash", new(w => PageGet(w.Ann, $"/images/{w.Image}%2F1/thumb"), 404, "Not found"));
        cases.Add("page invite: token with dot-dot slashes", new(w => PageGet(w.Eve, "/invites/..%2F..%2Fconversations"), 404, "not valid"));
        cases.Add("page invite: token of 10,000 characters", new(w => PageGet(w.Eve, $"/invites/{longToken}"), 404, "not valid"));
        cases.Add("page invite: token that is SQL", new(w => PageGet(w.Eve, "/invites/'%20OR%20'1'='1"), 404, "not valid"));
        cases.Add("page profile: user id with dot-dot", new(w => PageGet(w.Ann, "/users/..%2F1"), 404, "Not found"));
        cases.Add("page delete conversation: id with dot-dot", new(w => PagePost(w.Ann, $"/conversations/..%2F{w.Group}/delete"), 404, "Not found"));
        cases.Add("page remove member: user id with dot-dot", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/members/..%2F{w.Bo.Id}/remove"), 404, "Not found"));
        cases.Add("api conversation: id with dot-dot slashes", new(w => ApiGet(w.Ann, "/api/v1/conversations/..%2F..%2Fusers%2Fme"), 404));
        cases.Add("api conversation: id with an encoded slash", new(w => ApiGet(w.Ann, $"/api/v1/conversations/{w.Group}%2Fmessages"), 404));
        cases.Add("api conversation: id of 5,000 digits", new(w => ApiGet(w.Ann, $"/api/v1/conversations/{longDigits}"), 404));
        cases.Add("api conversation: id that is SQL", new(w => ApiGet(w.Ann, "/api/v1/conversations/1%20OR%201=1"), 404));
        cases.Add("api image: variant with dot-dot", new(w => ApiGet(w.Ann, $"/api/v1/images/{w.Image}/..%2Fthumb"), 404, "There is no image"));
        cases.Add("api accept invite: token with dot-dot slashes", new(w => ApiSend(w.Eve, HttpMethod.Post, "/api/v1/invites/..%2F..%2Fconversations/accept"), 404, "no such invite"));
        cases.Add("api accept invite: token of 10,000 characters", new(w => ApiSend(w.Eve, HttpMethod.Post, $"/api/v1/invites/{longToken}/accept"), 404, "no such invite"));
        cases.Add("api accept invite: token that is SQL", new(w => ApiSend(w.Eve, HttpMethod.Post, "/api/v1/invites/'%20OR%201=1--/accept"), 404, "no such invite"));
        cases.Add("api delete: message id with dot-dot", new(w => ApiSend(w.Ann, HttpMethod.Delete, $"/api/v1/conversations/{w.Group}/messages/..%2F{w.Message}"), 404));
        cases.Add("api sign in: an email that is SQL", new(
            w => ApiJson(null, HttpMethod.Post, "/api/v1/auth/login", new { email = "' OR 1=1 --", password = "' OR '1'='1" }), 401, "incorrect"));
        cases.Add("api register: an email that is SQL", new(
            w => RegisterApi(w, "Bobby Tables", email: "x'; DROP TABLE users;--@example.test"), 400));
    }

    private static void WrongContentTypes(Dictionary<string, Bad> cases)
    {
        const string AsJson = "Send the body as JSON";
        foreach (var (name, type, body) in new[]
        {
            ("text/plain", "text/plain", "{\"body\": \"hi\"}"), ("a form", "application/x-www-form-urlencoded", "body=hi"),
            ("XML", "application/xml", "<body>hi</body>"), ("an unknown charset", "application/json; charset=klingon", "{\"body\": \"hi\"}"),
            ("a made-up type", "application/x-chat", "{\"body\": \"hi\"}"),
        })
        {
            cases.Add($"api send: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", body, type), 415, AsJson));
        }

        cases.Add("api send: no content type", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", "{\"body\": \"hi\"}", null), 415, AsJson));
        cases.Add("api send: multipart", new(w => ApiMultipart(w.Ann, $"/api/v1/conversations/{w.Group}/messages", [("body", "hi")], null), 415, AsJson));
        cases.Add("api register: a form", new(w => ApiRaw(null, HttpMethod.Post, "/api/v1/auth/register", "email=a@example.test&password=x", "application/x-www-form-urlencoded"), 415, AsJson));
        cases.Add("api profile: text/plain", new(w => ApiRaw(w.Ann, HttpMethod.Put, "/api/v1/users/me", "{\"displayName\": \"A\"}", "text/plain"), 415, AsJson));
        cases.Add("api send photo: JSON instead of multipart", new(
            w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages/image", "{\"file\": \"AAAA\"}"), 415));
        cases.Add("api picture: JSON instead of multipart", new(w => ApiRaw(w.Ann, HttpMethod.Put, "/api/v1/users/me/image", "{\"file\": \"AAAA\"}"), 415));

        // Forms sent as JSON or text, with a valid antiforgery token in the header: read as an empty form.
        cases.Add("page send: JSON", new(w => PageRawWithHeaderToken(w.Ann, $"/conversations/{w.Group}/messages", "{\"Body\": \"hi\"}", "application/json"), 400, "Write a message"));
        cases.Add("page send: text/plain", new(w => PageRawWithHeaderToken(w.Ann, $"/conversations/{w.Group}/messages", "Body=hi", "text/plain"), 400, "Write a message"));
        cases.Add("page profile: JSON", new(w => PageRawWithHeaderToken(w.Ann, "/profile", "{\"displayName\": \"Ann\"}", "application/json"), 400, "1 to 100 characters"));
        cases.Add("page new conversation: JSON", new(
            w => PageRawWithHeaderToken(w.Ann, "/conversations", $"{{\"selected\": [{w.Bo.Id}]}}", "application/json"), 400, "Choose at least one person"));
        cases.Add("page rename: JSON", new(w => PageRawWithHeaderToken(w.Ann, $"/conversations/{w.Group}/title", "{\"title\": \"New\"}", "application/json"), 400, "1 to 100 characters"));
        cases.Add("page edit: JSON", new(w => PageRawWithHeaderToken(w.Ann, $"/conversations/{w.Group}/messages/{w.Message}", "{\"body\": \"x\"}", "application/json"), 400, "Write a message"));
        cases.Add("page send: JSON without a token", new(
            w => w.Ann.Sign(new HttpRequestMessage(HttpMethod.Post, $"/conversations/{w.Group}/messages") { Content = JsonContent.Create(new { Body = "hi" }) }, api: false),
            400, NotAccepted));
    }

    private static void ForgedAntiforgery(Dictionary<string, Bad> cases)
    {
        (string Name, Func<World, Caller> Who, Func<World, string> Url, (string, string)[] Fields)[] forms =
        [
            ("send", w => w.Ann, w => $"/conversations/{w.Group}/messages", [("Body", "forged")]),
            ("edit", w => w.Ann, w => $"/conversations/{w.Group}/messages/{w.Message}", [("body", "forged")]),
            ("delete a message", w => w.Ann, w => $"/conversations/{w.Group}/messages/{w.Message}/delete", []),
            ("rename oneself", w => w.Ann, _ => "/profile", [("displayName", "Forged")]),
            ("remove one's picture", w => w.Ann, _ => "/profile/avatar/delete", []),
            ("start a conversation", w => w.Ann, _ => "/conversations", [("selected", "0"), ("title", "Forged")]),
            ("rename the group", w => w.Ann, w => $"/conversations/{w.Group}/title", [("title", "Forged")]),
            ("add a member", w => w.Ann, w => $"/conversations/{w.Group}/members", [("selected", "0")]),
            ("remove a member", w => w.Ann, w => $"/conversations/{w.Group}/members/{w.Bo.Id}/remove", []),
            ("make an invite", w => w.Ann, w => $"/conversations/{w.Group}/invites", [("expiresInHours", "24")]),
            ("revoke an invite", w => w.Ann, w => $"/conversations/{w.Group}/invites/{w.ValidInviteId}/revoke", []),
            ("leave the group", w => w.Bo, w => $"/conversations/{w.Group}/leave", []),
            ("delete the group", w => w.Ann, w => $"/conversations/{w.Group}/delete", []),
            ("join with an invite", w => w.Eve, w => $"/invites/{w.ValidInvite}", []),
            ("delete one's account", w => w.Cy, _ => "/Identity/Account/Manage/DeletePersonalData", [("Input.Password", AccountSteps.Password)]),
        ];
        (string Name, Func<World, Caller, string> Token)[] tokens =
        [
            ("no token", (_, _) => string.Empty),
            ("a made-up token", (_, _) => "CfDJ8" + Convert.ToBase64String(Encoding.ASCII.GetBytes(new string('f', 90)))),
            ("someone else's token", (w, who) => (who == w.Ann ? w.Bo : w.Ann).AntiforgeryToken),
            ("the signed-out token", (w, _) => w.Anonymous.AntiforgeryToken),
        ];
        foreach (var (action, who, url, fields) in forms)
        {
            foreach (var (token, make) in tokens)
            {
                cases.Add($"page {action}: {token}", new(w => PagePost(WithToken(who(w), make(w, who(w))), url(w), fields), 400, NotAccepted));
            }
        }

        cases.Add("page send: the token without its cookie", new(
            w => PagePost(WithoutAntiforgeryCookie(w.Ann), $"/conversations/{w.Group}/messages", ("Body", "no cookie")), 400, NotAccepted));
        cases.Add("page rename: the token without its cookie", new(
            w => PagePost(WithoutAntiforgeryCookie(w.Ann), $"/conversations/{w.Group}/title", ("title", "no cookie")), 400, NotAccepted));

        // The API with the site's cookie instead of a bearer token needs the token in a header.
        const string Antiforgery = "antiforgery token";
        cases.Add("api send with the cookie: no token header", new(w => CookieApi(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", null), 400, Antiforgery));
        cases.Add("api send with the cookie: a made-up token header", new(
            w => CookieApi(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", "CfDJ8made-up"), 400, Antiforgery));
        cases.Add("api send with the cookie: someone else's token header", new(
            w => CookieApi(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", w.Bo.AntiforgeryToken), 400, Antiforgery));
        cases.Add("api rename oneself with the cookie: no token header", new(w => CookieApi(w.Ann, HttpMethod.Put, "/api/v1/users/me", null), 400, Antiforgery));
        cases.Add("api delete a message with the cookie: no token header", new(
            w => CookieApi(w.Ann, HttpMethod.Delete, $"/api/v1/conversations/{w.Group}/messages/{w.Message}", null), 400, Antiforgery));
    }

    private static void UsedUpInvites(Dictionary<string, Bad> cases)
    {
        cases.Add("page invite: a revoked link", new(w => PageGet(w.Eve, $"/invites/{w.RevokedInvite}"), 410, "was revoked"));
        cases.Add("page join: a revoked link", new(w => PagePost(w.Eve, $"/invites/{w.RevokedInvite}"), 410, "was revoked"));
        cases.Add("api accept: a revoked invite", new(w => ApiSend(w.Eve, HttpMethod.Post, $"/api/v1/invites/{w.RevokedInvite}/accept"), 410, "withdrawn"));
        cases.Add("page invite: an expired link", new(w => PageGet(w.Eve, $"/invites/{w.ExpiredInvite}"), 410, "has expired"));
        cases.Add("page join: an expired link", new(w => PagePost(w.Eve, $"/invites/{w.ExpiredInvite}"), 410, "has expired"));
        cases.Add("api accept: an expired invite", new(w => ApiSend(w.Eve, HttpMethod.Post, $"/api/v1/invites/{w.ExpiredInvite}/accept"), 410, "expired"));
        cases.Add("page join: a link used before, then revoked", new(w => PagePost(w.Dee, $"/invites/{w.ReplayedInvite}"), 410, "was revoked"));
        cases.Add("api accept: an invite used before, then revoked", new(w => ApiSend(w.Dee, HttpMethod.Post, $"/api/v1/invites/{w.ReplayedInvite}/accept"), 410, "withdrawn"));
        cases.Add("page join: an unknown link", new(w => PagePost(w.Eve, $"/invites/{new string('u', 43)}"), 404, "not valid"));
        cases.Add("api accept: an unknown invite", new(w => ApiSend(w.Eve, HttpMethod.Post, $"/api/v1/invites/{new string('u', 43)}/accept"), 404, "no such invite"));
        cases.Add("page join: a valid link with a character added", new(w => PagePost(w.Eve, $"/invites/{w.ValidInvite}x"), 404, "not valid"));
        cases.Add("page join: a valid link cut short", new(w => PagePost(w.Eve, $"/invites/{w.ValidInvite[..^1]}"), 404, "not valid"));
        cases.Add("page join: a valid link in other letter case", new(w => PagePost(w.Eve, $"/invites/{SwapCase(w.ValidInvite)}"), 404, "not valid"));
        cases.Add("api accept: a valid invite with a trailing space", new(w => ApiSend(w.Eve, HttpMethod.Post, $"/api/v1/invites/{w.ValidInvite}%20/accept"), 404, "no such invite"));
    }

    private static void JsonOfTheWrongShape(Dictionary<string, Bad> cases)
    {
        foreach (var (name, json, says) in new[]
        {
            ("a number body", "{\"body\": 123}", "body must be a string"), ("a true body", "{\"body\": true}", "body must be a string"),
            ("an array body", "{\"body\": [\"a\"]}", "body must be a string"), ("an object body", "{\"body\": {\"text\": \"a\"}}", "body must be a string"),
            ("a number client message id", "{\"body\": \"a\", \"clientMessageId\": 5}", "clientMessageId must be a string"),
            ("a root array", "[]", "must be a JSON object"), ("a root string", "\"hello\"", "must be a JSON object"), ("a root number", "123", "must be a JSON object"),
            ("a root null", "null", null), ("a root true", "true", "must be a JSON object"),
            ("the same key twice", "{\"body\": \"first\", \"body\": \"second\"}", NotValidJson),
            ("the same key twice in other cases", "{\"body\": \"first\", \"Body\": \"second\"}", NotValidJson),
            ("an unterminated object", "{", NotValidJson), ("an unterminated string", "{\"body\": \"open}", NotValidJson),
            ("a trailing comma", "{\"body\": \"a\",}", NotValidJson), ("a comment", "{\"body\": \"a\" /* note */}", NotValidJson),
            ("single quotes", "{'body': 'a'}", NotValidJson), ("a NaN literal", "{\"body\": NaN}", NotValidJson),
            ("text after the object", "{\"body\": \"a\"} and more", NotValidJson), ("an invalid escape", "{\"body\": \"\\x41\"}", NotValidJson),
        })
        {
            cases.Add($"api send: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", json), 400, says));
        }

        foreach (var (name, json, says) in new[]
        {
            ("ids as a string", "{\"participantIds\": \"1\"}", "participantIds must be an array"),
            ("ids as an object", "{\"participantIds\": {\"a\": 1}}", "participantIds must be an array"),
            ("an id that is true", "{\"participantIds\": [true]}", "must be a whole number"),
            ("a number title", "{\"participantIds\": [1], \"title\": 5}", "title must be a string"),
            ("ids given twice", "{\"participantIds\": [1], \"participantIds\": [2], \"title\": \"x\"}", NotValidJson),
        })
        {
            cases.Add($"api new conversation: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Post, "/api/v1/conversations", json), 400, says));
        }

        foreach (var (name, json, says) in new[]
        {
            ("a string user id", "{\"userId\": \"abc\"}", "userId must be a whole number"), ("a true user id", "{\"userId\": true}", "userId must be a whole number"),
            ("an array user id", "{\"userId\": [1]}", "userId must be a whole number"), ("the user id twice", "{\"userId\": 1, \"userId\": 2}", NotValidJson),
        })
        {
            cases.Add($"api add member: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/members", json), 400, says));
        }

        foreach (var (name, json, says) in new[]
        {
            ("a null name", "{\"displayName\": null}", "1 to 100 characters"), ("an array name", "{\"displayName\": []}", "displayName must be a string"),
            ("a number name", "{\"displayName\": 42}", "displayName must be a string"), ("the name twice", "{\"displayName\": \"A\", \"displayName\": \"B\"}", NotValidJson),
        })
        {
            cases.Add($"api profile: {name}", new(w => ApiRaw(w.Ann, HttpMethod.Put, "/api/v1/users/me", json), 400, says));
        }

        cases.Add("api sign in: numbers for email and password", new(w => ApiRaw(null, HttpMethod.Post, "/api/v1/auth/login", "{\"email\": 1, \"password\": 2}"), 400, "must be a string"));
        cases.Add("api sign in: the password twice", new(
            w => ApiRaw(null, HttpMethod.Post, "/api/v1/auth/login", $"{{\"email\": \"{w.Ann.Account!.Email}\", \"password\": \"wrong\", \"password\": \"{AccountSteps.Password}\"}}"),
            400, NotValidJson));
        cases.Add("api register: an array email", new(w => ApiRaw(null, HttpMethod.Post, "/api/v1/auth/register", "{\"email\": [], \"password\": \"x\"}"), 400, "email must be a string"));
        cases.Add("api register: the email twice", new(
            w => ApiRaw(null, HttpMethod.Post, "/api/v1/auth/register", $"{{\"email\": \"{Guid.NewGuid():N}@example.test\", \"email\": \"{Guid.NewGuid():N}@example.test\", \"password\": \"{AccountSteps.Password}\", \"displayName\": \"Twice\"}}"),
            400, NotValidJson));
        cases.Add("api edit: a number body", new(w => ApiRaw(w.Ann, HttpMethod.Patch, $"/api/v1/conversations/{w.Group}/messages/{w.Message}", "{\"body\": 1}"), 400, "body must be a string"));
        cases.Add("api edit: a description for a message without a photo", new(
            w => ApiJson(w.Ann, HttpMethod.Patch, $"/api/v1/conversations/{w.Group}/messages/{w.Message}", new { body = "x", alt = "a photo" }), 400, "Only a message with a photo"));
        cases.Add("api delete account: the wrong password", new(w => ApiJson(w.Cy, HttpMethod.Delete, "/api/v1/users/me", new { password = "' OR 1=1 --" }), 400, "password"));
    }

    private static void EmptyBodies(Dictionary<string, Bad> cases)
    {
        (string Name, HttpMethod Method, Func<World, string> Url, Func<World, Caller?> Who, string SaysWhenEmptyObject)[] routes =
        [
            ("api send", HttpMethod.Post, w => $"/api/v1/conversations/{w.Group}/messages", w => w.Ann, "Write a message"),
            ("api edit", HttpMethod.Patch, w => $"/api/v1/conversations/{w.Group}/messages/{w.Message}", w => w.Ann, "Send the new body"),
            ("api new conversation", HttpMethod.Post, _ => "/api/v1/conversations", w => w.Ann, "Choose at least one person"),
            ("api add member", HttpMethod.Post, w => $"/api/v1/conversations/{w.Group}/members", w => w.Ann, "Send the id"),
            ("api profile", HttpMethod.Put, _ => "/api/v1/users/me", w => w.Ann, "1 to 100 characters"),
            ("api register", HttpMethod.Post, _ => "/api/v1/auth/register", _ => null, "Enter your email"),
            ("api sign in", HttpMethod.Post, _ => "/api/v1/auth/login", _ => null, "Send both email and password"),
            ("api refresh", HttpMethod.Post, _ => "/api/v1/auth/refresh", _ => null, "Send the refreshToken"),
        ];
        foreach (var (name, method, url, who, says) in routes)
        {
            cases.Add($"{name}: an empty body", new(w => ApiRaw(who(w), method, url(w), string.Empty), 400, "empty"));
            cases.Add($"{name}: an empty object", new(w => ApiRaw(who(w), method, url(w), "{}"), 400, says));
            cases.Add($"{name}: whitespace only", new(w => ApiRaw(who(w), method, url(w), " \n\t "), 400));
        }

        cases.Add("api delete account: no body", new(w => ApiSend(w.Cy, HttpMethod.Delete, "/api/v1/users/me"), 400, "password"));
        cases.Add("page send: nothing", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/messages"), 400, "Write a message"));
        cases.Add("page send: only spaces and line breaks", new(w => SendPage(w, "  \r\n \n  "), 400, "Write a message"));
        cases.Add("page edit: nothing", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/messages/{w.Message}"), 400, "Write a message"));
        cases.Add("page profile: nothing", new(w => PagePost(w.Ann, "/profile"), 400, "1 to 100 characters"));
        cases.Add("page profile: only spaces", new(w => ProfilePage(w, "     "), 400, "1 to 100 characters"));
        cases.Add("page new conversation: nothing", new(w => PagePost(w.Ann, "/conversations"), 400, "Choose at least one person"));
        cases.Add("page new conversation: two people and no title", new(
            w => PagePost(w.Ann, "/conversations", ("selected", $"{w.Bo.Id}"), ("selected", $"{w.Eve.Id}")), 400, "A group needs a title"));
        cases.Add("page rename: nothing", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/title"), 400, "1 to 100 characters"));
        cases.Add("page add member: nothing", new(w => PagePost(w.Ann, $"/conversations/{w.Group}/members"), 400, "Choose at least one person"));
        cases.Add("page register: nothing", new(w => PagePost(w.Anonymous, "/Identity/Account/Register"), 400, "Enter your email"));
        cases.Add("page delete account: no password", new(w => PagePost(w.Cy, "/Identity/Account/Manage/DeletePersonalData"), 400, "Password"));
    }

    private static void BadFiles(Dictionary<string, Bad> cases)
    {
        const string NotAnImage = "not an image this chat can show";
        cases.Add("page send photo: a text file", new(w => PhotoPage(w, null, TestImages.NotAnImage), 400, NotAnImage));
        cases.Add("api send photo: a text file", new(w => PhotoApi(w, null, TestImages.NotAnImage), 400, NotAnImage));
        cases.Add("api send photo: no file", new(w => ApiMultipart(w.Ann, $"/api/v1/conversations/{w.Group}/messages/image", [("body", "no photo")], null), 400, "Attach the photo"));
        cases.Add("api send photo: an empty file", new(w => PhotoApi(w, null, []), 400, "Attach the photo"));
        cases.Add("page picture: a text file", new(w => PageMultipart(w.Ann, "/profile/avatar", [], ("avatar", TestImages.NotAnImage)), 400, NotAnImage));
        cases.Add("page picture: no file", new(w => PageMultipart(w.Ann, "/profile/avatar", [], null), 400, "Choose an image"));
        cases.Add("api picture: a text file", new(w => ApiMultipart(w.Ann, HttpMethod.Put, "/api/v1/users/me/image", [], ("file", TestImages.NotAnImage)), 400, NotAnImage));
        cases.Add("api picture: a truncated JPEG", new(w => ApiMultipart(w.Ann, HttpMethod.Put, "/api/v1/users/me/image", [], ("file", TestImages.Truncated(w.Jpeg))), 400));
    }

    // ---- The text cases ----

    private static Dictionary<string, Typed> Texts()
    {
        string[] payloads =
        [
            "'; DROP TABLE messages; --", "Robert'); DROP TABLE users;--", "\" OR \"1\"=\"1", "1 OR 1=1; SELECT password_hash FROM users",
            "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "</textarea><script>alert(1)</script>", "\"><svg onload=alert(1)>",
            "{{7*7}} ${7*7} <%= 7*7 %>", "javascript:alert(document.cookie)", "%00 %27 %3Cscript%3E", "../../../../etc/passwd",
            "\u202Egnp.exe <b>bold</b> &amp; &lt;",
        ];
        Func<World, HttpResponseMessage, string> groupWindow = (w, _) => $"/conversations/{w.Group}";
        Func<World, HttpResponseMessage, string> newest = (w, _) => $"SELECT body FROM messages WHERE conversation_id = {w.Group} ORDER BY id DESC LIMIT 1";
        Func<AngleSharp.Html.Dom.IHtmlDocument, string> bodies = d => string.Join("\n", d.QuerySelectorAll("article.message .message-body").Select(b => b.TextContent));
        Func<AngleSharp.Html.Dom.IHtmlDocument, string> heading = d => d.QuerySelector("main h1")?.TextContent ?? string.Empty;
        var cases = new Dictionary<string, Typed>();
        foreach (var value in payloads)
        {
            cases.Add($"page send: {value}", new(value, w => SendPage(w, value), (newest, groupWindow, bodies)));
            cases.Add($"api send: {value}", new(value, w => SendApi(w, value), (newest, groupWindow, bodies)));
            cases.Add($"api photo description: {value}", new(value, w => PhotoApi(w, value), (
                (w, _) => $"SELECT image_alt FROM messages WHERE conversation_id = {w.Group} ORDER BY id DESC LIMIT 1", groupWindow,
                d => string.Join("\n", d.QuerySelectorAll("article.message img").Select(i => i.GetAttribute("alt"))))));

            // Direction controls are refused in names and titles (see the refused cases); messages keep them.
            if (value.Contains('\u202E', StringComparison.Ordinal))
            {
                continue;
            }

            cases.Add($"page profile: {value}", new(value, w => PagePost(w.Cy, "/profile", ("displayName", value)), (
                (w, _) => $"SELECT display_name FROM users WHERE id = {w.Cy.Id}", (w, _) => $"/users/{w.Cy.Id}", heading)));
            cases.Add($"api profile: {value}", new(value, w => ApiJson(w.Cy, HttpMethod.Put, "/api/v1/users/me", new { displayName = value }), (
                (w, _) => $"SELECT display_name FROM users WHERE id = {w.Cy.Id}", (w, _) => $"/users/{w.Cy.Id}", heading)));
            cases.Add($"page new group: {value}", new(value, w => NewGroupPage(w, value), (
                (_, r) => $"SELECT title FROM conversations WHERE id = {CreatedId(r)}", (_, r) => $"/conversations/{CreatedId(r)}", heading)));
            cases.Add($"api new group: {value}", new(value, w => NewGroupApi(w, value), (
                (_, r) => $"SELECT title FROM conversations WHERE id = {CreatedId(r)}", (_, r) => $"/conversations/{CreatedId(r)}", heading)));
            cases.Add($"page rename: {value}", new(value, w => RenamePage(w, value), (
                (w, _) => $"SELECT title FROM conversations WHERE id = {w.Group}", groupWindow, heading)));
        }

        return cases;
    }

    // The new conversation's id: from the page's redirect, or from the API's answer.
    private static long CreatedId(HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? long.Parse(location.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture)
            : JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("id").GetInt64();

    // ---- Where people type text, on the pages and in the API ----

    private static IEnumerable<(string Field, Func<World, string, HttpRequestMessage> Make, bool Multiline, bool UrlEncoded)> TextFields() =>
    [
        ("page send", SendPage, true, true),
        ("api send", SendApi, true, false),
        ("page edit", EditPage, true, true),
        ("api edit", EditApi, true, false),
        ("page profile", ProfilePage, false, true),
        ("api profile", ProfileApi, false, false),
        ("api register", (w, v) => RegisterApi(w, v), false, false),
        ("page register", (w, v) => RegisterPage(w, v), false, true),
        ("page new group", NewGroupPage, false, true),
        ("api new group", NewGroupApi, false, false),
        ("page rename", RenamePage, false, true),
        ("page send photo", (w, v) => PhotoPage(w, v), true, false),
        ("api send photo", (w, v) => PhotoApi(w, v), true, false),
        ("page edit photo", EditAltPage, true, true),
        ("api edit photo", EditAltApi, true, false),
    ];

    private static IEnumerable<(string Field, HttpMethod Method, Func<World, string> Url, string Key)> JsonTextFields() =>
    [
        ("api send", HttpMethod.Post, w => $"/api/v1/conversations/{w.Group}/messages", "body"),
        ("api edit", HttpMethod.Patch, w => $"/api/v1/conversations/{w.Group}/messages/{w.Message}", "body"),
        ("api profile", HttpMethod.Put, _ => "/api/v1/users/me", "displayName"),
        ("api new group", HttpMethod.Post, _ => "/api/v1/conversations", "title"),
        ("api edit photo", HttpMethod.Patch, w => $"/api/v1/conversations/{w.Group}/messages/{w.Photo}", "alt"),
    ];

    private static HttpRequestMessage SendPage(World w, string body) => PagePost(w.Ann, $"/conversations/{w.Group}/messages", ("Body", body));

    private static HttpRequestMessage SendApi(World w, string body) => ApiJson(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", new { body });

    // With Content-Length, as most clients send it.
    private static HttpRequestMessage SendApiWithLength(World w, string body) =>
        ApiRaw(w.Ann, HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages", JsonSerializer.SerializeToUtf8Bytes(new { body }));

    // A photo whose text field carries raw bytes.
    private static HttpRequestMessage PhotoMultipartRaw(World w, string field, byte[] bytes)
    {
        var content = Multipart([], ("file", w.Jpeg));
        content.Add(new ByteArrayContent([.. "ok"u8, .. bytes]), field);
        return Api(w.Ann, new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{w.Group}/messages/image") { Content = content });
    }

    private static HttpRequestMessage EditPage(World w, string body) => PagePost(w.Ann, $"/conversations/{w.Group}/messages/{w.Message}", ("body", body));

    private static HttpRequestMessage EditApi(World w, string body) =>
        ApiJson(w.Ann, HttpMethod.Patch, $"/api/v1/conversations/{w.Group}/messages/{w.Message}", new { body });

    private static HttpRequestMessage EditAltPage(World w, string alt) =>
        PagePost(w.Ann, $"/conversations/{w.Group}/messages/{w.Photo}", ("body", string.Empty), ("imageAlt", alt));

    private static HttpRequestMessage EditAltApi(World w, string alt) =>
        ApiJson(w.Ann, HttpMethod.Patch, $"/api/v1/conversations/{w.Group}/messages/{w.Photo}", new { alt });

    private static HttpRequestMessage ProfilePage(World w, string name) => PagePost(w.Ann, "/profile", ("displayName", name));

    private static HttpRequestMessage ProfileApi(World w, string name) => ApiJson(w.Ann, HttpMethod.Put, "/api/v1/users/me", new { displayName = name });

    private static HttpRequestMessage RegisterApi(World w, string name, string? email = null) =>
        ApiJson(null, HttpMethod.Post, "/api/v1/auth/register", new { email = email ?? $"{Guid.NewGuid():N}@example.test", password = AccountSteps.Password, displayName = name });

    private static HttpRequestMessage RegisterPage(World w, string name, string? email = null) => PagePost(
        w.Anonymous, "/Identity/Account/Register", ("Input.Email", email ?? $"{Guid.NewGuid():N}@example.test"), ("Input.DisplayName", name),
        ("Input.Password", AccountSteps.Password), ("Input.ConfirmPassword", AccountSteps.Password));

    private static HttpRequestMessage NewGroupPage(World w, string title) => PagePost(w.Ann, "/conversations", ("selected", $"{w.Bo.Id}"), ("title", title));

    private static HttpRequestMessage NewGroupApi(World w, string title) =>
        ApiJson(w.Ann, HttpMethod.Post, "/api/v1/conversations", new { participantIds = new[] { w.Bo.Id }, title });

    private static HttpRequestMessage RenamePage(World w, string title) => PagePost(w.Ann, $"/conversations/{w.Group}/title", ("title", title));

    private static HttpRequestMessage PhotoPage(World w, string? alt, byte[]? file = null) =>
        PageMultipart(w.Ann, $"/conversations/{w.Group}/messages", [("Body", string.Empty), ("ImageAlt", alt ?? string.Empty)], ("Image", file ?? w.Jpeg));

    private static HttpRequestMessage PhotoApi(World w, string? alt, byte[]? file = null) =>
        ApiMultipart(w.Ann, $"/api/v1/conversations/{w.Group}/messages/image", alt is null ? [] : [("alt", alt)], ("file", file ?? w.Jpeg));

    // ---- Requests ----

    private static HttpRequestMessage PageGet(Caller who, string url) => who.Sign(new HttpRequestMessage(HttpMethod.Get, url), api: false);

    private static HttpRequestMessage PagePost(Caller who, string url, params (string Name, string Value)[] fields) =>
        who.Sign(new HttpRequestMessage(HttpMethod.Post, url) { Content = who.Form(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))) }, api: false);

    private static HttpRequestMessage PageRaw(Caller who, string url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return who.Sign(new HttpRequestMessage(HttpMethod.Post, url) { Content = content }, api: false);
    }

    private static HttpRequestMessage PageRawWithHeaderToken(Caller who, string url, string body, string mediaType)
    {
        var request = who.Sign(new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, mediaType) }, api: false);
        request.Headers.Add("RequestVerificationToken", who.AntiforgeryToken);
        return request;
    }

    private static HttpRequestMessage PageMultipart(Caller who, string url, (string Name, string Value)[] fields, (string Field, byte[] Bytes)? file)
    {
        var content = Multipart(fields.Append((Caller.AntiforgeryField, who.AntiforgeryToken)), file);
        return who.Sign(new HttpRequestMessage(HttpMethod.Post, url) { Content = content }, api: false);
    }

    private static HttpRequestMessage ApiGet(Caller who, string url) => ApiSend(who, HttpMethod.Get, url);

    private static HttpRequestMessage ApiSend(Caller? who, HttpMethod method, string url) => Api(who, new HttpRequestMessage(method, url));

    private static HttpRequestMessage ApiJson(Caller? who, HttpMethod method, string url, object body) =>
        Api(who, new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });

    private static HttpRequestMessage ApiRaw(Caller? who, HttpMethod method, string url, string body, string? mediaType = "application/json") =>
        ApiRaw(who, method, url, Encoding.UTF8.GetBytes(body), mediaType);

    private static HttpRequestMessage ApiRaw(Caller? who, HttpMethod method, string url, byte[] body, string? mediaType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        }

        return Api(who, new HttpRequestMessage(method, url) { Content = content });
    }

    private static HttpRequestMessage ApiMultipart(Caller who, string url, (string Name, string Value)[] fields, (string Field, byte[] Bytes)? file) =>
        ApiMultipart(who, HttpMethod.Post, url, fields, file);

    private static HttpRequestMessage ApiMultipart(
        Caller who, HttpMethod method, string url, (string Name, string Value)[] fields, (string Field, byte[] Bytes)? file) =>
        Api(who, new HttpRequestMessage(method, url) { Content = Multipart(fields, file) });

    // The site's cookie on an API route, with the antiforgery token in the header or none.
    private static HttpRequestMessage CookieApi(Caller who, HttpMethod method, string url, string? token)
    {
        var request = who.Sign(new HttpRequestMessage(method, url) { Content = JsonContent.Create(new { body = "via cookie", displayName = "Via Cookie" }) }, api: false);
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }

        return request;
    }

    private static HttpRequestMessage Api(Caller? who, HttpRequestMessage request) => who is null ? request : who.Sign(request, api: true);

    private static MultipartFormDataContent Multipart(IEnumerable<(string Name, string Value)> fields, (string Field, byte[] Bytes)? file)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        if (file is var (field, bytes))
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, field, "upload.jpg");
        }

        return content;
    }

    // A url-encoded form whose values are raw bytes, as a broken client might send them; the token is added.
    private static byte[] FormBytes(Caller who, params (string Name, byte[] Value)[] fields)
    {
        var body = new List<byte>();
        foreach (var (name, value) in fields)
        {
            body.AddRange(Encoding.ASCII.GetBytes(name + "="));
            body.AddRange(value);
            body.Add((byte)'&');
        }

        body.AddRange(Encoding.ASCII.GetBytes($"{Caller.AntiforgeryField}={Uri.EscapeDataString(who.AntiforgeryToken)}"));
        return [.. body];
    }

    private static byte[] JsonBytes(string key, byte[] value) =>
        [.. Encoding.ASCII.GetBytes($"{{\"{key}\": \"ok"), .. value, .. Encoding.ASCII.GetBytes("\", \"participantIds\": [1]}")];

    private static Caller WithToken(Caller who, string token) => new()
    {
        Name = who.Name,
        Id = who.Id,
        Account = who.Account,
        Cookies = who.Cookies,
        AntiforgeryToken = token,
    };

    private static Caller WithoutAntiforgeryCookie(Caller who) => new()
    {
        Name = who.Name,
        Id = who.Id,
        Account = who.Account,
        Cookies = string.Join("; ", who.Cookies.Split("; ").Where(c => !c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal))),
        AntiforgeryToken = who.AntiforgeryToken,
    };

    private static string SwapCase(string text) =>
        string.Concat(text.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    // A refused case: the request, and the status and words of the refusal (words required for pages).
    public sealed record Bad(Func<World, HttpRequestMessage> Request, int? Status = null, string? Says = null);

    // A text case: the value, the request that stores it, the query that reads it back, and where it shows.
    public sealed record Typed(
        string Value,
        Func<World, HttpRequestMessage> Request,
        (Func<World, HttpResponseMessage, string> Stored, Func<World, HttpResponseMessage, string> ShownAt, Func<AngleSharp.Html.Dom.IHtmlDocument, string> Shown) Where);

    // One app and a few people for the whole corpus: Ann owns a group with Bo in it, with her message, her photo and
    // invites (valid, revoked, expired, and one Dee used and left before it was revoked); Eve and Dee are outsiders
    // and Cy's name takes the text cases.
    public sealed class World : IAsyncLifetime
    {
        public TApp App { get; } = new();

        public HttpClient Client { get; private set; } = null!;

        public Caller Anonymous { get; private set; } = null!;

        public Caller Ann { get; private set; } = null!;

        public Caller Bo { get; private set; } = null!;

        public Caller Cy { get; private set; } = null!;

        public Caller Dee { get; private set; } = null!;

        public Caller Eve { get; private set; } = null!;

        public long Group { get; private set; }

        public long Message { get; private set; }

        public long Photo { get; private set; }

        public long Image { get; private set; }

        public string ValidInvite { get; private set; } = null!;

        public long ValidInviteId { get; private set; }

        public string RevokedInvite { get; private set; } = null!;

        public string ExpiredInvite { get; private set; } = null!;

        public string ReplayedInvite { get; private set; } = null!;

        public byte[] Jpeg { get; } = TestImages.Encode(32, 24, ImageFormat.Jpeg);

        public async Task InitializeAsync()
        {
            Client = Caller.NewClient(App);
            Anonymous = await Caller.AnonymousAsync(App);
            Ann = await Caller.RegisterAsync(App, "Ann Corpus");
            Bo = await Caller.RegisterAsync(App, "Bo Corpus");
            Cy = await Caller.RegisterAsync(App, "Cy Corpus");
            Dee = await Caller.RegisterAsync(App, "Dee Corpus");
            Eve = await Caller.RegisterAsync(App, "Eve Corpus");
            await Expect(HttpStatusCode.OK, PageMultipart(Ann, "/profile/avatar", [], ("avatar", Jpeg)));
            Group = await IdAsync(NewGroupApi(this, "Corpus group"));
            Message = await IdAsync(SendApi(this, "The original text"));
            Photo = await IdAsync(PhotoApi(this, "The original description"));
            Image = await ScalarAsync<long>($"SELECT image_id FROM messages WHERE id = {Photo}");
            (ValidInvite, ValidInviteId) = await InviteAsync();
            (RevokedInvite, var revoked) = await InviteAsync();
            await Expect(HttpStatusCode.Redirect, PagePost(Ann, $"/conversations/{Group}/invites/{revoked}/revoke"));
            (ExpiredInvite, var expired) = await InviteAsync();
            await ExecuteAsync($"UPDATE invites SET expires_at = 1 WHERE id = {expired}");
            (ReplayedInvite, var replayed) = await InviteAsync();
            await Expect(HttpStatusCode.Redirect, PagePost(Dee, $"/invites/{ReplayedInvite}"));
            await Expect(HttpStatusCode.Redirect, PagePost(Dee, $"/conversations/{Group}/leave"));
            await Expect(HttpStatusCode.Redirect, PagePost(Ann, $"/conversations/{Group}/invites/{replayed}/revoke"));
        }

        // Everything a request could store or change, in the tables people's data lives in.
        public async Task<string> FingerprintAsync()
        {
            var db = App.Services.GetRequiredService<ChatDb>();
            await using var connection = await db.OpenAsync();
            var parts = new List<object>
            {
                await connection.QueryAsync("SELECT id, email, display_name, avatar_image_id FROM users ORDER BY id"),
                await connection.QueryAsync("SELECT id, kind, title FROM conversations ORDER BY id"),
                await connection.QueryAsync("SELECT conversation_id, user_id, role, hidden FROM conversation_members ORDER BY conversation_id, user_id"),
                await connection.QueryAsync("SELECT id, conversation_id, sender_id, kind, body, image_id, image_alt, edited_at, deleted_at FROM messages ORDER BY id"),
                await connection.QueryAsync("SELECT id, conversation_id, revoked_at, expires_at FROM invites ORDER BY id"),
                await connection.QueryAsync("SELECT id, conversation_id FROM images ORDER BY id"),
            };
            return JsonSerializer.Serialize(parts);
        }

        public async Task<T> ScalarAsync<T>(string sql)
        {
            var db = App.Services.GetRequiredService<ChatDb>();
            await using var connection = await db.OpenAsync();
            return (await connection.ExecuteScalarAsync<T>(sql))!;
        }

        public async Task DisposeAsync()
        {
            Client?.Dispose();
            await App.DisposeAsync();
        }

        private async Task ExecuteAsync(string sql)
        {
            var db = App.Services.GetRequiredService<ChatDb>();
            await using var connection = await db.OpenAsync();
            await connection.ExecuteAsync(sql);
        }

        private async Task<(string Token, long Id)> InviteAsync()
        {
            using var response = await Client.SendAsync(ApiSend(Ann, HttpMethod.Post, $"/api/v1/conversations/{Group}/invites"));
            var token = (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("token").GetString()!;
            return (token, await ScalarAsync<long>($"SELECT MAX(id) FROM invites WHERE conversation_id = {Group}"));
        }

        private async Task<long> IdAsync(HttpRequestMessage request)
        {
            using var response = await Client.SendAsync(request);
            return (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        }

        private async Task Expect(HttpStatusCode status, HttpRequestMessage request)
        {
            using var response = await Client.SendAsync(request);
            Assert.True(response.StatusCode == status, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

public sealed class BadInputTestsOnSqlite(BadInputTests<SqliteApp>.World world) : BadInputTests<SqliteApp>(world);

public sealed class BadInputTestsOnMariaDb(BadInputTests<MariaDbApp>.World world) : BadInputTests<MariaDbApp>(world);
