using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ChatMvc.Files;

public sealed class MediaOptions
{
    public const string Section = "Media";

    public string FfprobePath { get; set; } = "ffprobe";

    public string FfmpegPath { get; set; } = "ffmpeg";

    public int TimeoutSeconds { get; set; } = 30;

    // Each run decodes a little of one file; more at once than the machine has cores only makes every upload slower.
    public int MaxConcurrency { get; set; } = Math.Max(2, Environment.ProcessorCount);
}

public sealed record MediaInfo(int? Width, int? Height, long? LengthMs, bool HasVideo);

// ffprobe and ffmpeg from the system, run as processes of their own (never through a shell; the path is the
// store's, made of the file's hash), each with a time limit, a few at a time.
public sealed class MediaTools(IOptions<MediaOptions> options, ILogger<MediaTools> logger)
{
    private const int MaxPosterBytes = 16 * 1024 * 1024;

    private readonly SemaphoreSlim gate = new(options.Value.MaxConcurrency, options.Value.MaxConcurrency);

    // Null when the file is not a video or audio ffprobe can read.
    public async Task<MediaInfo?> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var output = await RunAsync(options.Value.FfprobePath, [
            "-v", "error", "-show_entries", "stream=codec_type,width,height:format=duration", "-of", "json", "file:" + path,
        ], 1024 * 1024, cancellationToken);
        if (output is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(output);
            var streams = json.RootElement.TryGetProperty("streams", out var list) ? list.EnumerateArray().ToList() : [];
            var video = streams.FirstOrDefault(s => s.TryGetProperty("codec_type", out var type) && type.GetString() == "video");
            var hasVideo = video.ValueKind == JsonValueKind.Object;
            var hasAudio = streams.Any(s => s.TryGetProperty("codec_type", out var type) && type.GetString() == "audio");
            long? length = json.RootElement.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var duration)
                && double.TryParse(duration.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? (long)Math.Round(seconds * 1000)
                : null;
            if (!hasVideo && !hasAudio)
            {
                return null;
            }

            return new MediaInfo(
                hasVideo && video.TryGetProperty("width", out var w) ? w.GetInt32() : null,
                hasVideo && video.TryGetProperty("height", out var h) ? h.GetInt32() : null,
                length,
                hasVideo);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            logger.LogWarning(e, "ffprobe's answer could not be read.");
            return null;
        }
    }

    // One frame as a JPEG, from a moment in that is likely to show something (a first frame is often black).
    public Task<byte[]?> PosterAsync(string path, long? lengthMs, CancellationToken cancellationToken)
    {
        var at = lengthMs is { } length ? Math.Min(1.0, length / 2000.0) : 0;
        return RunAsync(options.Value.FfmpegPath, [
            "-nostdin", "-v", "error", "-ss", at.ToString("0.###", CultureInfo.InvariantCulture), "-i", "file:" + path,
            "-frames:v", "1", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "pipe:1",
        ], MaxPosterBytes, cancellationToken);
    }

    // The process's output, or null when it failed, took too long, said too much or could not start.
    private async Task<byte[]?> RunAsync(string program, IReadOnlyList<string> arguments, int maxOutput, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = new Process { StartInfo = start };
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                logger.LogWarning("{Program} could not be started ({Reason}): videos are kept as plain files.", program, e.Message);
                return null;
            }

            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
            try
            {
                var errors = process.StandardError.ReadToEndAsync(timeout.Token);
                var output = await ReadBoundedAsync(process.StandardOutput.BaseStream, maxOutput, timeout.Token);
                if (output is null)
                {
                    logger.LogInformation("{Program} wrote more than {Bytes} bytes and was stopped.", program, maxOutput);
                    return null;
                }

                await process.WaitForExitAsync(timeout.Token);
                var problem = await errors;
                if (process.ExitCode != 0)
                {
                    logger.LogInformation("{Program} refused a file (exit {Code}): {Problem}", program, process.ExitCode, problem.Trim());
                    return null;
                }

                return output;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("{Program} took longer than {Seconds} s and was stopped.", program, options.Value.TimeoutSeconds);
                return null;
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
