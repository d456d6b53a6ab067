using System.Text;
using System.Text.Json;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace ChatMvc.Api;

[Route("api/v1/conversations/{id:long}/bots")]
[Tags("Bots")]
public sealed class BotsApiController(ConversationCache cache, Bots bots, PublicOrigin origin) : ConversationScopedApiController(cache)
{
    // webhookUrl is in this answer only: the key is not kept, so it cannot be shown again.
    [HttpPost("")]
    [ProducesResponseType<NewBotJson>(StatusCodes.Status201Created)]
    public async Task<ActionResult<NewBotJson>> Create(CreateBotRequest request) =>
        Answer(
            await bots.CreateAsync(Membership, User, request.Name),
            made => Created((string?)null, new NewBotJson(made.Bot.Id, made.Bot.Name, WebhookUrl.For(origin, Request, made.Key))));

    [HttpGet("")]
    public async Task<ActionResult<IReadOnlyList<BotJson>>> List() =>
        Answer(await bots.ListAsync(Membership, User), list => Ok(list.Select(BotJson.From).ToList()));

    // Revoking is for good: the webhook answers 404 from then on, and the bot's messages stay.
    [HttpDelete("{botId:long}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Revoke(long botId) =>
        Answer(await bots.RevokeAsync(Membership, User, botId), _ => NoContent());
}

// The webhook a bot posts through: JSON {"text": "..."} as Slack's and Mattermost's incoming webhooks take it, or the
// text itself as text/plain. No account: the key in the URL is the credential, so an unknown or revoked one is 404.
[Route("hooks")]
[Tags("Bots")]
[AllowAnonymous]
public sealed class HooksController(Bots bots) : ApiController
{
    public const string IdempotencyHeader = "Idempotency-Key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A retry with the same Idempotency-Key header (or clientMessageId in the JSON) gets the first message back (200).
    [HttpPost("{key}")]
    [EnableRateLimiting(RateLimitOptions.HookPolicy)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status201Created)]
    [ProducesResponseType<MessageJson>(StatusCodes.Status200OK)]
    public async Task<ActionResult<MessageJson>> Post(string key)
    {
        if (await bots.FindByKeyAsync(key) is not { } bot)
        {
            return Refuse(
                StatusCodes.Status404NotFound,
                "There is no webhook at this address: it was revoked, or the address is incomplete. Ask the group's owner for a new one.");
        }

        string? text;
        string? clientMessageId = Request.Headers[IdempotencyHeader].FirstOrDefault();
        MediaTypeHeaderValue.TryParse(Request.ContentType, out var type);
        if (type?.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            HookPost? post;
            try
            {
                post = await JsonSerializer.DeserializeAsync<HookPost>(Request.Body, Json, HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                return Invalid("text", "The body is not the JSON a webhook takes: send {\"text\": \"your message\"}.");
            }

            text = post?.Text;
            clientMessageId ??= post?.ClientMessageId;
        }
        else if (type?.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = new StreamReader(Request.Body, type.Encoding ?? Encoding.UTF8);
            text = await reader.ReadToEndAsync(HttpContext.RequestAborted);
        }
        else
        {
            return Refuse(
                StatusCodes.Status415UnsupportedMediaType,
                "Send JSON {\"text\": \"...\"} with Content-Type: application/json, or the text itself with Content-Type: text/plain.");
        }

        if (clientMessageId?.Length > MessageText.MaxClientMessageIdLength)
        {
            return Invalid(IdempotencyHeader, $"{IdempotencyHeader} can be at most {MessageText.MaxClientMessageIdLength} characters.");
        }

        var sent = await bots.PostAsync(bot, text, string.IsNullOrWhiteSpace(clientMessageId) ? null : clientMessageId, HttpContext.RequestAborted);
        return sent switch
        {
            { Refusal: not null } => Invalid("text", sent.Error!),
            { Created: true } => Created((string?)null, MessageJson.From(sent.Message!, bot.UserId)),
            _ => Ok(MessageJson.From(sent.Message!, bot.UserId)),
        };
    }
}

public sealed record CreateBotRequest(string? Name);

public sealed record HookPost(string? Text, string? ClientMessageId = null);

// WebhookUrl: POST the message here; shown in this answer only.
public sealed record NewBotJson(long Id, string Name, string WebhookUrl);

public sealed record BotJson(long Id, string Name, long? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static BotJson From(Bot bot) => new(
        bot.Id, bot.Name, bot.CreatedBy, Clock.OffsetFromUnixMs(bot.CreatedAt), bot.RevokedAt is { } revoked ? Clock.OffsetFromUnixMs(revoked) : null);
}
