namespace ChatMvc.Files;

public static class FilesServiceCollectionExtensions
{
    public static IServiceCollection AddChatFiles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section))
            .Validate(options => options.MaxFileMegabytes is > 0 and <= 1024 * 1024, "Uploads:MaxFileMegabytes must be a positive number of megabytes.")
            .Validate(options => options.MaxInProgressPerPerson > 0, "Uploads:MaxInProgressPerPerson must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section));
        services.AddSingleton<IFileStore, LocalFileStore>();
        services.AddSingleton<Data.FileQueries>();
        services.AddSingleton<MediaTools>();
        services.AddSingleton<FileUploads>();
        services.AddSingleton<FileDelivery>();
        services.AddSingleton<FileSweep>();
        services.AddHostedService<FileSweepService>();
        return services;
    }
}
