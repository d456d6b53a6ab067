using System.Diagnostics;
using System.Globalization;
using ChatMvc.Images;

// Times the upload pipeline (ImageProcessor: header check, decode, rotate, resize to 1280 and 320, strip,
// JPEG encode) on a synthetic 12-megapixel photo, one at a time and then as a burst through the bounded
// queue, and prints the process's peak memory. Usage: ImageBench [photos, default 30]
var photos = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var culture = CultureInfo.InvariantCulture;

byte[] photo;
using (var sample = LibVips.CreateSample(4000, 3000))
{
    photo = LibVips.Save(sample, ImageFormat.Jpeg);
}

var rssBefore = MemoryMegabytes("VmRSS");
Console.WriteLine(string.Create(culture, $"photo: 4000×3000 JPEG (synthetic: gradients and grain), {photo.Length / 1024.0 / 1024.0:0.0} MB"));

for (var i = 0; i < 3; i++)
{
    Check(ImageProcessor.Process(photo, ImagePurpose.Message));
}

var timings = new List<double>();
for (var i = 0; i < photos; i++)
{
    var watch = Stopwatch.StartNew();
    Check(ImageProcessor.Process(photo, ImagePurpose.Message));
    timings.Add(watch.Elapsed.TotalMilliseconds);
}

timings.Sort();
Console.WriteLine(string.Create(culture,
    $"one at a time ({photos} photos): mean {timings.Average():0} ms, median {timings[timings.Count / 2]:0} ms, "
    + $"p95 {timings[(int)Math.Ceiling(timings.Count * 0.95) - 1]:0} ms, max {timings[^1]:0} ms per photo"));

var peakOneAtATime = MemoryMegabytes("VmHWM");
var pixelsOneAtATime = LibVips.PixelMemoryHighWater / 1024.0 / 1024.0;
var processor = new ImageProcessor();
var burst = Stopwatch.StartNew();
var results = await Task.WhenAll(Enumerable.Range(0, photos).Select(_ => processor.ProcessAsync(photo, ImagePurpose.Message)));
burst.Stop();
foreach (var result in results)
{
    Check(result);
}

Console.WriteLine(string.Create(culture,
    $"burst ({photos} at once, {Environment.ProcessorCount} at a time on {Environment.ProcessorCount} cores): "
    + $"{burst.Elapsed.TotalMilliseconds / photos:0} ms per photo, {photos / burst.Elapsed.TotalSeconds:0.0} photos/s"));
Console.WriteLine(string.Create(culture,
    $"peak memory (VmHWM): {peakOneAtATime:0} MB one at a time, {MemoryMegabytes("VmHWM"):0} MB after the burst; "
    + $"{rssBefore:0} MB before the first photo (runtime and sample)"));
Console.WriteLine(string.Create(culture,
    $"libvips pixel buffers at their peak: {pixelsOneAtATime:0} MB one at a time, {LibVips.PixelMemoryHighWater / 1024.0 / 1024.0:0} MB in the burst "
    + $"(the sample's own generation included); managed heap now {GC.GetTotalMemory(forceFullCollection: false) / 1024.0 / 1024.0:0} MB"));

static void Check(ProcessedImage result)
{
    if (result.Rejection is { } rejection)
    {
        throw new InvalidOperationException($"The sample was refused: {rejection.Message} {rejection.Detail}");
    }
}

// Resident memory from /proc/self/status, in MB: VmRSS now, VmHWM the peak so far.
static double MemoryMegabytes(string field)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}
