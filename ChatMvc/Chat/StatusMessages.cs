using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace ChatMvc.Chat;

// What an action that redirects tells the person on the next page ("You left the group."): kept in TempData (a
// data-protected cookie, so any instance can read it) for one request and shown by the layout.
public static class StatusMessages
{
    private const string Key = "Status";

    public static void SetStatus(this Controller controller, string message) => controller.TempData[Key] = message;

    public static string? TakeStatus(this ITempDataDictionary tempData) => tempData[Key] as string;

    public static IServiceCollection AddStatusMessages(this IServiceCollection services)
    {
        services.AddSingleton<CookieTempDataProvider>();
        services.AddSingleton<ITempDataProvider, StatusCookie>();
        return services;
    }
}

// MVC's cookie provider deletes its cookie whenever nothing is kept, whether or not the browser sent one. The layout
// looks for a status on every page, so every page answered with a Set-Cookie deleting a cookie nobody had. This one
// leaves the cookie alone unless the request carried it; keeping a status and clearing a shown one work as before.
internal sealed class StatusCookie(CookieTempDataProvider cookies, IOptions<CookieTempDataProviderOptions> options) : ITempDataProvider
{
    private readonly string name = options.Value.Cookie.Name!;

    public IDictionary<string, object> LoadTempData(HttpContext context) => cookies.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (values.Count == 0 && !context.Request.Cookies.ContainsKey(name))
        {
            return;
        }

        cookies.SaveTempData(context, values);
    }
}
