using System.Diagnostics;
using System.Text.Json;

namespace ChatMvc.Tests.Infrastructure;

// The Nu HTML Checker (npm vnu-jar, run by Java) over a set of documents in one run: Java starts once.
public static class NuHtmlChecker
{
    public static string Jar => Environment.GetEnvironmentVariable("CHATMVC_TEST_VNU") is { Length: > 0 } path
        ? path
        : SourceTree.PathOf("ChatMvc.Tests", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

    // Each error as "document: line N: message".
    public static async Task<IReadOnlyList<string>> ErrorsAsync(IReadOnlyDictionary<string, string> documents)
    {
        if (!File.Exists(Jar))
        {
            throw new InvalidOperationException(
                $"The Nu HTML Checker is missing at {Jar}: run the tests with scripts/test.sh, which installs it (npm vnu-jar).");
        }

        var folder = Directory.CreateTempSubdirectory("chatmvc-html-").FullName;
        try
        {
            var names = new Dictionary<string, string>();
            foreach (var (name, html) in documents)
            {
                var file = Path.Combine(folder, $"page{names.Count:000}.html");
                await File.WriteAllTextAsync(file, html);
                names[new Uri(file).AbsoluteUri] = name;
            }

            var start = new ProcessStartInfo("java")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-jar", Jar, "--errors-only", "--format", "json", folder })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("java did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var report = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            await stdout;
            using var json = JsonDocument.Parse(report);
            return json.RootElement.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("type").GetString() == "error")
                .Select(m =>
                {
                    var url = m.TryGetProperty("url", out var u) ? u.GetString() ?? string.Empty : string.Empty;
                    var line = m.TryGetProperty("lastLine", out var l) ? l.GetInt32() : 0;
                    var where = names.GetValueOrDefault(url, url);
                    var extract = m.TryGetProperty("extract", out var e) ? $" [{e.GetString()?.Trim()}]" : string.Empty;
                    return $"{where}: line {line}: {m.GetProperty("message").GetString()}{extract}";
                })
                .ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
