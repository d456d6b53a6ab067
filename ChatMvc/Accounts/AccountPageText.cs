using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ChatMvc.Accounts;

// What the account pages need beyond the shipped page models: the app's words for the models' messages, and
// aria-invalid on a field that failed validation.
public static class AccountPageText
{
    // The shipped pages' status messages that speak of "login" or "2fa"; the others already read as ours.
    private static readonly Dictionary<string, string> Reworded = new(StringComparer.Ordinal)
    {
        ["The current browser has been forgotten. When you login again from this browser you will be prompted for your 2fa code."] =
            "This browser is forgotten. The next time you sign in here you will be asked for a code.",
        ["2fa has been disabled. You can reenable 2fa when you setup an authenticator app"] =
            "Two-factor sign-in is off. You can turn it on again by setting up an authenticator app.",
        ["2fa has been disabled. You can reenable 2fa when you setup an authenticator app."] =
            "Two-factor sign-in is off. You can turn it on again by setting up an authenticator app.",
        ["Your authenticator app key has been reset, you will need to configure your authenticator app using the new key."] =
            "Your authenticator key is reset. Set up your authenticator app again with the new key.",
        ["Your authenticator app has been verified."] = "Your authenticator app is set up: two-factor sign-in is on.",
        ["You have generated new recovery codes."] = "New recovery codes are ready. The old ones no longer work.",
        ["Thank you for confirming your email."] = "Your email address is confirmed. You can sign in.",
        ["Thank you for confirming your email change."] = "Your email address is changed.",
    };

    public static string Reword(string message) => Reworded.TryGetValue(message, out var ours) ? ours : message;

    // The shipped pages start a failure's status message with "Error".
    public static bool IsError(string message) => message.StartsWith("Error", StringComparison.Ordinal);

    public static string? InvalidFlag(this ModelStateDictionary state, string key) =>
        state.GetFieldValidationState(key) == ModelValidationState.Invalid ? "true" : null;
}
