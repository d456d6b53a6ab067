using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace ChatMvc.Tests.Files;

// The app with a small upload limit, so that going over it is quick.
public abstract class FilesApp(Engine engine) : ChatAppFactory(engine)
{
    public const int MaxFileMegabytes = 2;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Uploads:MaxFileMegabytes"] = MaxFileMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
    }
}

public sealed class SqliteFilesApp() : FilesApp(Engine.Sqlite);

public sealed class MariaDbFilesApp() : FilesApp(Engine.MariaDb);

public static class FileSteps
{
    // A small but real PDF, with bytes of every value so that any change on the way shows.
    public static byte[] Pdf()
    {
        var text = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n");
        var binary = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7 % 256)).ToArray();
        return [.. text, .. binary, .. "\n%%EOF\n"u8.ToArray()];
    }

    // A video made by ffmpeg for the test: a test pattern with a tone, H.264 and AAC in MP4 (or VP8 and Vorbis in WebM).
    public static async Task<byte[]> Mp4Async(int width, int height, double seconds, bool webm = false)
    {
        var folder = Directory.CreateTempSubdirectory("chatmvc-video-");
        try
        {
            var path = Path.Combine(folder.FullName, webm ? "clip.webm" : "clip.mp4");
            var start = new ProcessStartInfo(TestServers.Ffmpeg) { RedirectStandardError = true, UseShellExecute = false };
            List<string> arguments =
            [
                "-nostdin", "-v", "error", "-f", "lavfi", "-i", $"testsrc=duration={seconds}:size={width}x{height}:rate=25",
                "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}", "-c:v", webm ? "libvpx" : "libx264", "-pix_fmt", "yuv420p",
                "-c:a", webm ? "libvorbis" : "aac", "-shortest",
            ];
            if (!webm)
            {
                arguments.AddRange(["-movflags", "+faststart"]);
            }

            arguments.Add(path);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"ffmpeg could not make the test video: {errors}");
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // A WAV sound of a 440 Hz tone: 16-bit mono PCM at 8 kHz.
    public static byte[] Wav(int seconds)
    {
        const int rate = 8000;
        var samples = rate * seconds;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + samples * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((short)(Math.Sin(2 * Math.PI * 440 * i / rate) * 8000));
        }

        writer.Flush();
        return stream.ToArray();
    }

    public static MultipartFormDataContent FileForm(byte[] bytes, string fileName, string? contentType = "application/pdf", string? body = null)
    {
        var content = new MultipartFormDataContent();
        if (body is not null)
        {
            content.Add(new StringContent(body), "body");
        }

        var file = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            file.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        content.Add(file, "file", fileName);
        return content;
    }

    // Sends a file from the composer without JavaScript (a multipart form POST), and follows the redirect.
    public static async Task<Page> SendFileFromComposerAsync(this Participant person, long conversationId, Upload file, string? body = null)
    {
        var window = await person.OpenAsync(conversationId);
        return await person.Client.SubmitMultipartAsync(window, "form#composer", new() { ["Body"] = body ?? string.Empty }, ("File", file));
    }

    public static Task<HttpResponseMessage> SendFileAsync(this ApiUser user, long conversationId, HttpContent form) =>
        user.Http.PostAsync($"/api/v1/conversations/{conversationId}/messages/file", form);

    public static Task<long> CountFilesAsync(this ChatAppFactory app, long conversationId) =>
        app.ScalarAsync("SELECT COUNT(*) FROM files WHERE conversation_id = @conversationId", new { conversationId });

    // The bytes the store holds, and what is left in its temporary folder.
    public static IReadOnlyList<string> Blobs(this ChatAppFactory app) =>
        Directory.EnumerateFiles(app.StorageFolder, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(Path.GetDirectoryName(path)) != "tmp").ToList();

    public static IReadOnlyList<string> TemporaryFiles(this ChatAppFactory app) =>
        Directory.Exists(Path.Combine(app.StorageFolder, "tmp")) ? Directory.GetFiles(Path.Combine(app.StorageFolder, "tmp")) : [];

    // An upload that sends the first part of its declared body, then waits: Release sends the rest, Drop breaks the
    // connection as a network failure would.
    public static (Task<HttpResponseMessage> Response, HeldUpload Upload) StartUpload(this ApiUser user, long conversationId, int declaredBytes, int sentBytes)
    {
        var upload = new HeldUpload(declaredBytes, sentBytes);
        return (user.Http.PostAsync($"/api/v1/conversations/{conversationId}/messages/file", upload), upload);
    }

    // Waits for something the server does on its own time (after a dropped connection), failing after a while.
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }

}

public sealed class HeldUpload : HttpContent
{
    private const string Boundary = "chat-test-boundary";
    private readonly byte[] head = Encoding.ASCII.GetBytes(
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"held.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    private readonly byte[] tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
    private readonly TaskCompletionSource<bool> go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int declaredBytes;
    private readonly int sentBytes;

    public HeldUpload(int declaredBytes, int sentBytes)
    {
        this.declaredBytes = declaredBytes;
        this.sentBytes = sentBytes;
        Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    public void Release() => go.TrySetResult(true);

    public void Drop() => go.TrySetResult(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(head);
        await stream.WriteAsync(new byte[sentBytes]);
        await stream.FlushAsync();
        if (!await go.Task)
        {
            throw new IOException("The connection dropped half way through the upload.");
        }

        await stream.WriteAsync(new byte[declaredBytes - sentBytes]);
        await stream.WriteAsync(tail);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = head.Length + declaredBytes + tail.Length;
        return true;
    }
}
