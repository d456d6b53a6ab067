namespace ChatMvc.Chat;

// The few htmx request/response headers the app uses.
public static class Htmx
{
    public static bool IsHtmx(this HttpRequest request) =>
        request.Headers["HX-Request"] == "true" && request.Headers["HX-History-Restore-Request"] != "true";

    // The same URL answers a page or a fragment, so caches must key on the header.
    public static void VaryOnHtmx(this HttpResponse response) => response.Headers.Append("Vary", "HX-Request");

    public static void TriggerClientEvent(this HttpResponse response, string eventName) =>
        response.Headers["HX-Trigger"] = eventName;
}
