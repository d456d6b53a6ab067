using ChatMvc.Security;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// A group's bots: made and revoked by its owner or an administrator. The webhook URL is shown once, in the answer to
// the form that made the bot (never stored, so never shown again).
[Route("conversations/{conversationId}/bots")]
public sealed class BotsController(ConversationCache cache, Bots bots, Data.ConversationQueries conversations, PublicOrigin origin)
    : ConversationScopedController(cache)
{
    public const string PageView = "~/Views/Bots/Index.cshtml";

    [HttpGet("")]
    public async Task<IActionResult> Index() =>
        await AnswerAsync(await bots.ListAsync(Membership, User), list => PageAsync(list));

    [HttpPost("")]
    public async Task<IActionResult> Create(string? name)
    {
        var outcome = await bots.CreateAsync(Membership, User, name);
        if (outcome is Outcome<NewBot>.Invalid invalid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await PageAsync(name: name, nameError: invalid.Message);
        }

        return await AnswerAsync(outcome, made => PageAsync(created: made));
    }

    [HttpPost("{botId:long}/revoke")]
    public async Task<IActionResult> Revoke(long botId) =>
        Answer(await bots.RevokeAsync(Membership, User, botId), _ => Redirect(ChatUrls.Bots(ConversationId)));

    private async Task<IActionResult> AnswerAsync<T>(Outcome<T> outcome, Func<T, Task<IActionResult>> done) =>
        outcome is Outcome<T>.Done(var value) ? await done(value) : Answer(outcome, _ => NotFound());

    private async Task<IActionResult> PageAsync(
        IReadOnlyList<Bot>? list = null, NewBot? created = null, string? name = null, string? nameError = null)
    {
        var details = (await conversations.FindAsync(ConversationId))!;
        list ??= ((Outcome<IReadOnlyList<Bot>>.Done)await bots.ListAsync(Membership, User)).Value;
        return View(PageView, new BotsPageModel
        {
            ConversationId = ConversationId,
            Title = details.TitleFor(CurrentUserId),
            Bots = list,
            NewBot = created?.Bot,
            NewWebhookUrl = created is null ? null : WebhookUrl.For(origin, Request, created.Key),
            Name = name,
            NameError = nameError,
        });
    }
}

public sealed record BotsPageModel
{
    public long ConversationId { get; init; }

    public string Title { get; init; } = string.Empty;

    public IReadOnlyList<Bot> Bots { get; init; } = [];

    public Bot? NewBot { get; init; }

    public string? NewWebhookUrl { get; init; }

    public string? Name { get; init; }

    public string? NameError { get; init; }
}

// The address a build server posts to: the site's public address, never the Host a request claimed.
public static class WebhookUrl
{
    public static string For(PublicOrigin origin, HttpRequest request, string key)
    {
        var (scheme, host, pathBase) = origin.Of(request);
        // UriBuilder leaves out a default port (":80" for http), which the configured address's host may carry.
        return new UriBuilder(scheme, host.Host, host.Port ?? -1, $"{pathBase}/hooks/{key}").Uri.AbsoluteUri;
    }
}
