namespace ChatMvc.Accounts;

public sealed class EmailOptions
{
    public const string Section = "Email";

    // Relative paths are under the content root.
    public string PickupDirectory { get; set; } = "App_Data/mail";

    public string From { get; set; } = "chat@localhost";

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    // Empty means mail is only written to the pickup folder and the log.
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string? User { get; set; }

    public string? Password { get; set; }

    public bool EnableSsl { get; set; } = true;
}
