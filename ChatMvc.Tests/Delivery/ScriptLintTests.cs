using System.Diagnostics;
using System.Text.Json;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Delivery;

// The app's scripts have no build step, so a name used but never defined (as Enter once called a function that
// did not exist) only shows as an error in a visitor's console. ESLint (npm, ChatMvc.Tests/eslint.config.js)
// reads every one of them.
public sealed class ScriptLintTests
{
    private static readonly string Scripts = SourceTree.PathOf("ChatMvc", "wwwroot", "js");

    [Fact]
    public async Task Every_script_of_the_app_passes_eslint()
    {
        var files = Directory.GetFiles(Scripts, "*.js");
        Assert.NotEmpty(files);

        var report = await LintAsync(Scripts);

        Assert.Equal(files.Length, report.Count);
        var problems = report.SelectMany(file => file.Problems.Select(problem => $"{Path.GetFileName(file.Path)}: {problem}")).ToList();
        Assert.True(problems.Count == 0, "ESLint found:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task A_script_calling_a_function_that_does_not_exist_is_found()
    {
        var folder = Directory.CreateTempSubdirectory("chatmvc-lint-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "probe.js"), """
                (function () {
                    "use strict";
                    document.addEventListener("keydown", function () {
                        if (photoChosen()) {
                            document.body.focus();
                        }
                    });
                })();
                """);

            var report = await LintAsync(folder);

            Assert.Equal("4:13 'photoChosen' is not defined. (no-undef)", Assert.Single(Assert.Single(report).Problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record LintedFile(string Path, IReadOnlyList<string> Problems);

    private static async Task<IReadOnlyList<LintedFile>> LintAsync(string folder)
    {
        var eslint = SourceTree.PathOf("ChatMvc.Tests", "node_modules", "eslint", "bin", "eslint.js");
        if (!File.Exists(eslint))
        {
            throw new InvalidOperationException($"ESLint is missing at {eslint}: run the tests with scripts/test.sh, which installs it (npm).");
        }

        // From the folder itself: ESLint lints only files under the folder it runs in.
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { eslint, "--config", SourceTree.PathOf("ChatMvc.Tests", "eslint.config.js"), "--format", "json", "." })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        // 0: no problems, 1: problems reported; anything else is ESLint itself failing.
        Assert.True(process.ExitCode is 0 or 1, $"ESLint exited with {process.ExitCode}: {await stderr}");
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.EnumerateArray()
            .Select(file => new LintedFile(
                file.GetProperty("filePath").GetString()!,
                file.GetProperty("messages").EnumerateArray()
                    .Select(m => $"{m.GetProperty("line").GetInt32()}:{m.GetProperty("column").GetInt32()} {m.GetProperty("message").GetString()} ({(m.TryGetProperty("ruleId", out var rule) && rule.ValueKind == JsonValueKind.String ? rule.GetString() : "parse")})")
                    .ToList()))
            .ToList();
    }
}
