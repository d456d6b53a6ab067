using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace ChatMvc.Accounts;

public sealed class KeysAtRestOptions
{
    public const string Section = "DataProtection:Certificate";

    // A PFX holding the certificate and its private key; every instance mounts the same file.
    public string? Path { get; set; }

    public string? Password { get; set; }
}

// The Data Protection keys sign cookies and antiforgery tokens and live in the database, so anyone who can
// read the database could forge a sign-in. A certificate encrypts them at rest.
public static class KeysAtRest
{
    public const string MissingCertificateWarning =
        "Data Protection keys are stored unencrypted in the database: anyone who can read it can forge sign-in "
        + "cookies. Set DataProtection__Certificate__Path (a PFX file) and DataProtection__Certificate__Password "
        + "to encrypt them at rest.";

    public static IDataProtectionBuilder ProtectKeysAtRest(this IDataProtectionBuilder builder, IConfiguration configuration)
    {
        var options = configuration.GetSection(KeysAtRestOptions.Section).Get<KeysAtRestOptions>() ?? new KeysAtRestOptions();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            builder.Services.AddHostedService<MissingCertificateWarningService>();
            return builder;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(options.Path, options.Password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"DataProtection:Certificate:Path names a file that cannot be read as a PFX with the given password: {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException(
                "The PFX in DataProtection:Certificate:Path has no private key; the keys could be encrypted but never read back.");
        }

        // Decryption looks the certificate up by thumbprint; on Linux there is no machine store to find it in.
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    private sealed class MissingCertificateWarningService(IHostEnvironment environment, ILogger<MissingCertificateWarningService> logger)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (environment.IsProduction())
            {
                logger.LogWarning(MissingCertificateWarning);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
