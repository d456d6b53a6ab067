using System.Text;
using System.Text.RegularExpressions;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Data;

// SQL lives only in ChatMvc/Data: a statement anywhere else is a query nobody finds from the data layer.
public sealed partial class SqlPlacementTests
{
    private static readonly string App = SourceTree.PathOf("ChatMvc");

    [Fact]
    public void No_string_in_the_app_outside_its_Data_folder_holds_SQL()
    {
        var found = AppSources(inData: false)
            .SelectMany(file => CSharpStrings.In(File.ReadAllText(file)).Where(LooksLikeSql)
                .Select(sql => $"{Path.GetRelativePath(SourceTree.Root, file)}: {FirstLine(sql)}"))
            .ToList();

        Assert.True(found.Count == 0, "SQL outside ChatMvc/Data (move it into a named query there):\n" + string.Join("\n", found));
    }

    [Fact]
    public void Only_the_Data_folder_uses_Dapper()
    {
        var found = AppSources(inData: false)
            .Where(file => File.ReadLines(file).Any(line => line.Trim() is "using Dapper;" || line.Contains("Dapper.", StringComparison.Ordinal)))
            .Select(file => Path.GetRelativePath(SourceTree.Root, file))
            .ToList();

        Assert.True(found.Count == 0, "Dapper outside ChatMvc/Data:\n" + string.Join("\n", found));
    }

    // The two checks above pass on nothing if the scan finds no files or no strings: the Data folder shows it sees both.
    [Fact]
    public void The_scan_finds_the_queries_in_the_Data_folder()
    {
        var files = AppSources(inData: true).ToList();
        var statements = files.Sum(file => CSharpStrings.In(File.ReadAllText(file)).Count(LooksLikeSql));

        Assert.Contains(files, file => Path.GetFileName(file) == "UserQueries.cs");
        Assert.True(statements >= 80, $"Only {statements} SQL strings found in {files.Count} files under ChatMvc/Data.");
        Assert.True(AppSources(inData: false).Count() >= 50, "The scan found too few of the app's source files.");
    }

    [Fact]
    public void The_scan_reads_every_kind_of_string_and_skips_comments()
    {
        const string source = """"
            // SELECT id FROM users in a comment
            /* DELETE FROM users in a block comment */
            var quote = '"';
            var plain = "SELECT id FROM users WHERE id = @id";
            var verbatim = @"UPDATE users SET ""name"" = @name";
            var interpolated = $"{Select(")")} WHERE u.id = @id";
            var nested = $@"{(ok ? "INSERT INTO t (a) VALUES (@a)" : "")}";
            var raw = """
                DELETE FROM images WHERE id = @id
                """;
            var prose = $"To leave it, DELETE /api/v1/conversations/{id}/members/{me}.";
            var select = "Select a person";
            """";

        var strings = CSharpStrings.In(source);

        Assert.Equal(
            ["SELECT", "UPDATE", "WHERE", "INSERT", "DELETE"],
            strings.Where(LooksLikeSql).Select(s => SqlKeyword().Match(s).Value.Split(' ')[0]));
        Assert.Contains("UPDATE users SET \"name\" = @name", strings);
        Assert.DoesNotContain(strings, s => s.Contains("comment", StringComparison.Ordinal));
    }

    private static IEnumerable<string> AppSources(bool inData)
    {
        var data = Path.Combine(App, "Data") + Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(App, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(App, file).Split(Path.DirectorySeparatorChar)[0].Equals("obj", StringComparison.Ordinal)
                && !Path.GetRelativePath(App, file).Split(Path.DirectorySeparatorChar)[0].Equals("bin", StringComparison.Ordinal))
            .Where(file => file.StartsWith(data, StringComparison.Ordinal) == inData);
    }

    // Upper-case keywords, as every query in the app is written; prose such as "DELETE /api/..." or "Select a
    // person" does not match.
    private static bool LooksLikeSql(string text) => SqlKeyword().IsMatch(text);

    [GeneratedRegex(@"\b(SELECT\b|INSERT\s+(OR\s+\w+\s+|IGNORE\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|WHERE\b|JOIN\b|ORDER\s+BY\b|GROUP\s+BY\b|(CREATE|ALTER|DROP)\s+(TABLE|INDEX)\b|BEGIN\s+IMMEDIATE\b)")]
    private static partial Regex SqlKeyword();

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();
}

// The string literals of C# source: regular, verbatim, interpolated (with the strings inside their holes) and raw.
// Comments and character literals are skipped.
public static class CSharpStrings
{
    public static List<string> In(string code)
    {
        var found = new List<string>();
        var i = 0;
        Scan(code, ref i, found, inHole: false);
        return found;
    }

    // Reads code to its end or, inside an interpolation hole, to the brace that closes the hole.
    private static void Scan(string code, ref int i, List<string> found, bool inHole)
    {
        var depth = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (c == '/' && At(code, i + 1) == '/')
            {
                var end = code.IndexOf('\n', i);
                i = end < 0 ? code.Length : end;
            }
            else if (c == '/' && At(code, i + 1) == '*')
            {
                var end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? code.Length : end + 2;
            }
            else if (c == '\'')
            {
                i++;
                while (i < code.Length && code[i] != '\'')
                {
                    i += code[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (StartsString(code, i))
            {
                found.Add(ReadString(code, ref i, found));
            }
            else
            {
                if (inHole && c == '{')
                {
                    depth++;
                }
                else if (inHole && c == '}' && depth-- == 0)
                {
                    i++;
                    return;
                }

                i++;
            }
        }
    }

    private static bool StartsString(string code, int i)
    {
        var j = i;
        while (At(code, j) is '$' or '@')
        {
            j++;
        }

        return At(code, j) == '"';
    }

    private static string ReadString(string code, ref int i, List<string> found)
    {
        var interpolated = false;
        var verbatim = false;
        while (code[i] is '$' or '@')
        {
            interpolated |= code[i] == '$';
            verbatim |= code[i] == '@';
            i++;
        }

        var quotes = 0;
        while (!verbatim && At(code, i + quotes) == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            // Raw: everything up to the same run of quotes, holes included as written.
            var close = new string('"', quotes);
            var end = code.IndexOf(close, i + quotes, StringComparison.Ordinal);
            end = end < 0 ? code.Length : end;
            var raw = code[(i + quotes)..end];
            i = Math.Min(code.Length, end + quotes);
            return raw;
        }

        i++;
        var text = new StringBuilder();
        while (i < code.Length)
        {
            var c = code[i];
            if (c == '"' && verbatim && At(code, i + 1) == '"')
            {
                text.Append('"');
                i += 2;
            }
            else if (c == '"' || (c == '\n' && !verbatim))
            {
                i++;
                break;
            }
            else if (c == '\\' && !verbatim)
            {
                text.Append(code, i, Math.Min(2, code.Length - i));
                i += 2;
            }
            else if (interpolated && c == '{' && At(code, i + 1) == '{')
            {
                text.Append('{');
                i += 2;
            }
            else if (interpolated && c == '{')
            {
                i++;
                Scan(code, ref i, found, inHole: true);
                text.Append("{…}");
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        return text.ToString();
    }

    private static char At(string code, int i) => i < code.Length ? code[i] : '\0';
}
