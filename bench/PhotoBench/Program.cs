using System.Diagnostics;
using System.Globalization;
using ChatMvc.Images;

// Makes a 12-megapixel JPEG (4000x3000, photo-like grain), then times ImageProcessor.Process, the app's whole
// pipeline for a photo message (sniff, header check, upright, display 1280 and thumbnail 320, metadata
// stripped, JPEG encode), and reports the peak memory while it runs. Usage: PhotoBench [runs]. Prints
//   RESULT runs=N bytes=N median_ms=N max_ms=N peak_rss_mb=N baseline_rss_mb=N
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;

byte[] photo;
using (var sample = LibVips.CreateSample(4000, 3000))
{
    photo = LibVips.Save(sample, ImageFormat.Jpeg);
}

// One untimed run loads the codecs; then the process's peak is reset so it covers only the timed runs.
Check(ImageProcessor.Process(photo, ImagePurpose.Message));
GC.Collect();
ResetPeak();
var baseline = Status("VmRSS");

var times = new List<double>();
for (var i = 0; i < runs; i++)
{
    var clock = Stopwatch.StartNew();
    Check(ImageProcessor.Process(photo, ImagePurpose.Message));
    times.Add(clock.Elapsed.TotalMilliseconds);
}

times.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT runs={runs} bytes={photo.Length} median_ms={times[times.Count / 2]:0.#} max_ms={times[^1]:0.#} peak_rss_mb={Status("VmHWM") / 1024.0:0.#} baseline_rss_mb={baseline / 1024.0:0.#}"));

static void Check(ProcessedImage result)
{
    if (result.Rejection is { } rejection)
    {
        throw new InvalidOperationException($"The photo was refused: {rejection.Message} {rejection.Detail}");
    }
}

// Writing 5 to clear_refs resets the peak resident size (VmHWM) the kernel keeps for the process.
static void ResetPeak()
{
    try
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine("photobench: cannot reset the peak; it includes making the sample photo.");
    }
}

static long Status(string key) => File.ReadLines("/proc/self/status")
    .Where(line => line.StartsWith(key + ":", StringComparison.Ordinal))
    .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
    .Single();
