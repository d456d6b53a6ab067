using System.Text.Json;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace ChatMvc.Chat;

// The few htmx request/response headers the app uses.
public static class Htmx
{
    public static bool IsHtmx(this HttpRequest request) =>
        request.Headers["HX-Request"] == "true" && request.Headers["HX-History-Restore-Request"] != "true";

    // The same URL answers a page or a fragment, so caches must key on the header.
    public static void VaryOnHtmx(this HttpResponse response) => response.Headers.Append("Vary", "HX-Request");

    // Poll answers are stale by the next message. "no-cache" as well as "no-store" because the fragments carry
    // forms: antiforgery would otherwise override the header and log a warning for every poll that changed.
    public static void DoNotCache(this HttpResponse response) => response.Headers.CacheControl = "no-cache, no-store";

    public static void TriggerClientEvent(this HttpResponse response, string eventName) =>
        response.Headers["HX-Trigger"] = eventName;

    // The events below fire once the answer is in the page, so the script acts on what the server says it did
    // (and moves the focus accordingly) instead of guessing it from the request's URL.
    public static void TriggerClientEventAfterSwap(this HttpResponse response, string eventName) =>
        response.Headers["HX-Trigger-After-Swap"] = eventName;

    public static void TriggerClientEventAfterSettle(this HttpResponse response, string eventName, object detail) =>
        response.Headers["HX-Trigger-After-Settle"] =
            JsonSerializer.Serialize(new Dictionary<string, object> { [eventName] = detail }, JsonSerializerOptions.Web);

    // A message was replaced in place (opened for editing, saved, cancelled or deleted): the focus goes to its editor,
    // or to the message again.
    public static void MessageChanged(this HttpResponse response, long messageId, bool editing) =>
        response.TriggerClientEventAfterSettle("message-changed", new { id = messageId, focus = editing ? "editor" : "message" });

    // A reaction was added or removed: the focus goes to that reaction's button (or, once it is gone, back to the
    // message), and a status line says what changed.
    public static void ReactionChanged(this HttpResponse response, long messageId, string emoji, string said) =>
        response.TriggerClientEventAfterSettle(
            "reaction-changed", new { id = messageId, button = $"reaction-{messageId}-{MessageReactions.IdOf(emoji)}", said });

    // The answer holds only out-of-band swaps: the element that asked stays as it is.
    public static void SwapNothing(this HttpResponse response) => response.Headers["HX-Reswap"] = "none";

    // A page of older messages was added above the log.
    public static void OlderMessagesLoaded(this HttpResponse response) => response.TriggerClientEventAfterSwap("older-loaded");
}

// `swap-oob="@flag"` writes data-hx-swap-oob="true" only when the flag is set. Razor drops a null-valued attribute
// but never a data-* one, and htmx takes even an empty data-hx-swap-oob as "swap out of band".
[HtmlTargetElement(Attributes = "swap-oob")]
public sealed class SwapOutOfBandTagHelper : TagHelper
{
    [HtmlAttributeName("swap-oob")]
    public bool OutOfBand { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (OutOfBand)
        {
            output.Attributes.SetAttribute("data-hx-swap-oob", "true");
        }
    }
}
