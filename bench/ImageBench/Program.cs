using System.Diagnostics;
using System.Globalization;
using ChatMvc.Images;
using ChatMvc.Tests.Images;

// Times the upload pipeline (ImageProcessor: header check, decode, rotate, resize to 1280 and 320, strip,
// JPEG encode) on a synthetic 12-megapixel photo, one at a time and then as a burst from as many people through
// the bounded queue, and prints the process's peak memory. Then times the worst images the limits still accept.
// Usage: ImageBench [photos, default 30] [rounds per worst image, default 5]
var photos = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var culture = CultureInfo.InvariantCulture;

byte[] photo;
using (var sample = VipsSamples.CreateSample(4000, 3000))
{
    photo = VipsSamples.Save(sample, ImageFormat.Jpeg);
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
var pixelsOneAtATime = VipsSamples.PixelMemoryHighWater / 1024.0 / 1024.0;
var processor = new ImageProcessor();
var burst = Stopwatch.StartNew();
var results = await Task.WhenAll(Enumerable.Range(0, photos).Select(person => processor.ProcessAsync(person, photo, ImagePurpose.Message)));
burst.Stop();
foreach (var result in results)
{
    Check(result);
}

Console.WriteLine(string.Create(culture,
    $"burst ({photos} people at once, {Math.Max(2, Environment.ProcessorCount)} at a time on {Environment.ProcessorCount} cores): "
    + $"{burst.Elapsed.TotalMilliseconds / photos:0} ms per photo, {photos / burst.Elapsed.TotalSeconds:0.0} photos/s"));
Console.WriteLine(string.Create(culture,
    $"peak memory (VmHWM): {peakOneAtATime:0} MB one at a time, {MemoryMegabytes("VmHWM"):0} MB after the burst; "
    + $"{rssBefore:0} MB before the first photo (runtime and sample)"));
Console.WriteLine(string.Create(culture,
    $"libvips pixel buffers at their peak: {pixelsOneAtATime:0} MB one at a time, {VipsSamples.PixelMemoryHighWater / 1024.0 / 1024.0:0} MB in the burst "
    + $"(the sample's own generation included); managed heap now {GC.GetTotalMemory(forceFullCollection: false) / 1024.0 / 1024.0:0} MB"));

// The worst accepted images: each as large as the limits allow in its format, in one flat colour (the smallest file
// for its size, as a hostile upload would be). PNG and GIF are held to the decoded limit (width × height × channels ×
// bytes per channel), JPEG and WebP, which decode already shrunk, to the pixel limit.
var side8 = (int)Math.Sqrt(ImageProcessor.MaxDecodedBytes / 4);
var side16 = (int)Math.Sqrt(ImageProcessor.MaxDecodedBytes / 8);
var sideRgb = (int)Math.Sqrt(ImageProcessor.MaxDecodedBytes / 3);
var sidePixels = (int)Math.Sqrt(ImageProcessor.MaxPixels);
(string Name, Func<byte[]> Make)[] worst =
[
    ($"PNG {side8}×{side8} RGBA, 8 bits", () => Blank(side8, side8, 4, sixteenBits: false, ImageFormat.Png)),
    ($"PNG {side16}×{side16} RGBA, 16 bits", () => Blank(side16, side16, 4, sixteenBits: true, ImageFormat.Png)),
    ($"PNG {sideRgb}×{sideRgb} RGB, 8 bits", () => Blank(sideRgb, sideRgb, 3, sixteenBits: false, ImageFormat.Png)),
    ($"GIF {side8}×{side8}", () => Blank(side8, side8, 3, sixteenBits: false, ImageFormat.Gif)),
    ($"JPEG {sidePixels}×{sidePixels} RGB", () => Blank(sidePixels, sidePixels, 3, sixteenBits: false, ImageFormat.Jpeg)),
    ($"WebP {sidePixels}×{sidePixels} RGB", () => Blank(sidePixels, sidePixels, 3, sixteenBits: false, ImageFormat.Webp)),
];
Console.WriteLine(string.Create(culture,
    $"worst accepted images (limits: {ImageProcessor.MaxDecodedBytes / 1024 / 1024} MB decoded for PNG and GIF, "
    + $"{ImageProcessor.MaxPixels / 1_000_000} MP for all), {rounds} rounds each after one warm-up, one at a time:"));
var slowest = (Name: string.Empty, Median: 0.0);
foreach (var (name, make) in worst)
{
    var data = make();
    var header = LibVips.ReadHeader(data);
    if (ImageProcessor.Inspect(data) is { Rejection: { } refused })
    {
        throw new InvalidOperationException($"{name} was refused: {refused.Message}");
    }

    Check(ImageProcessor.Process(data, ImagePurpose.Message));
    var times = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        Check(ImageProcessor.Process(data, ImagePurpose.Message));
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    var median = times[times.Count / 2];
    Console.WriteLine(string.Create(culture,
        $"  {name,-28} {header.DecodedBytes / 1024.0 / 1024.0,5:0} MB decoded, {data.Length / 1024.0,6:0} KB file: "
        + $"median {median,5:0} ms, min {times[0]:0}, max {times[^1]:0}"));
    if (median > slowest.Median)
    {
        slowest = (name, median);
    }
}

Console.WriteLine(string.Create(culture, $"worst accepted: {slowest.Name}, median {slowest.Median:0} ms"));

static byte[] Blank(int width, int height, int bands, bool sixteenBits, ImageFormat format)
{
    using var image = VipsSamples.CreateBlank(width, height, bands, sixteenBits);
    return VipsSamples.Save(image, format);
}

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
