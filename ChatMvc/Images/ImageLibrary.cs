using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace ChatMvc.Images;

public sealed class ImageLibraryOptions
{
    public const string Section = "Images";

    // The libvips shared library: a file name the system loader finds, or a full path to a build of its own.
    public string LibVips { get; set; } = LibVipsLibrary.DefaultName;
}

// Whether photos can be processed on this server. Checked once at startup, so a server without libvips says so
// (a warning, /healthz, the composer, a 503 from the API) instead of failing with a 500 at the first photo.
public sealed class ImageLibrary
{
    public const string InstallHint = "Install the libvips42 package (libvips42t64 on Ubuntu 24.04) and restart the app.";

    public ImageLibrary(IOptions<ImageLibraryOptions> options, ILogger<ImageLibrary> logger)
    {
        Name = options.Value.LibVips;
        Available = LibVipsLibrary.TryLoad(Name, out var problem);
        if (!Available)
        {
            Problem = $"libvips ({Name}) could not be loaded: {problem}";
            logger.LogWarning("Photos are off: {Problem}. {Hint}", Problem, InstallHint);
        }
    }

    public string Name { get; }

    public bool Available { get; }

    public string? Problem { get; }
}

// Where the app's libvips calls go. The name is settled before the first call and never changes after it:
// .NET binds a native library once per process.
public static class LibVipsLibrary
{
    public const string DefaultName = "libvips.so.42";

    private static readonly Lock Gate = new();
    private static string? chosen;
    private static nint handle;

    public static bool TryLoad(string name, out string? problem)
    {
        lock (Gate)
        {
            if (chosen is null)
            {
                chosen = name;
                NativeLibrary.SetDllImportResolver(Assembly.GetExecutingAssembly(), Resolve);
            }
            else if (chosen != name)
            {
                problem = $"this process already uses {chosen}";
                return false;
            }

            if (handle == 0 && !NativeLibrary.TryLoad(name, Assembly.GetExecutingAssembly(), null, out handle))
            {
                problem = "the library was not found";
                return false;
            }

            problem = null;
            return true;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == DefaultName && handle != 0 ? handle : 0;
}
