using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ChatMvc.Chat;

// What an action that redirects tells the person on the next page ("You left the group."): kept in TempData (a
// data-protected cookie, so any instance can read it) for one request and shown by the layout.
public static class StatusMessages
{
    private const string Key = "Status";

    public static void SetStatus(this Controller controller, string message) => controller.TempData[Key] = message;

    public static string? TakeStatus(this ITempDataDictionary tempData) => tempData[Key] as string;
}
