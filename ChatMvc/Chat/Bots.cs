using System.Security.Claims;
using ChatMvc.Admin;
using ChatMvc.Data;

namespace ChatMvc.Chat;

// A bot posts into one group through its webhook. Its group's owner makes and revokes it (administrators too, in
// groups they belong to, as the database says now, not as their sign-in did); the key is shown once, when it is
// made. Making and revoking are in the audit log.
public sealed class Bots(
    BotQueries bots, ConversationQueries conversations, ConversationManagement management, AdminQueries admins, AuditLog audit)
{
    public const int MaxNameLength = 50;

    public async Task<Outcome<IReadOnlyList<Bot>>> ListAsync(Membership member, ClaimsPrincipal actor) =>
        await RefusalAsync(member) is { } refusal
            ? new Outcome<IReadOnlyList<Bot>>.Forbidden(refusal)
            : new Outcome<IReadOnlyList<Bot>>.Done(await bots.ListAsync(member.ConversationId));

    public async Task<Outcome<NewBot>> CreateAsync(Membership member, ClaimsPrincipal actor, string? name)
    {
        if (await RefusalAsync(member) is { } refusal)
        {
            return new Outcome<NewBot>.Forbidden(refusal);
        }

        var text = name?.Trim() ?? string.Empty;
        var error = text.Length is 0 or > MaxNameLength
            ? $"Give the bot a name of 1 to {MaxNameLength} characters, such as \"CI\"."
            : MessageText.NameError(text, "A bot's name");
        if (error is not null)
        {
            return Outcome.Invalid<NewBot>("name", error);
        }

        var (bot, key) = await bots.CreateAsync(member.ConversationId, text, member.UserId);
        await audit.RecordAsync(actor, AuditActions.BotCreated, bot.UserId, bot.Name, Where(member));
        return new NewBot(bot, key);
    }

    public async Task<Outcome<Bot>> RevokeAsync(Membership member, ClaimsPrincipal actor, long botId)
    {
        if (await RefusalAsync(member) is { } refusal)
        {
            return new Outcome<Bot>.Forbidden(refusal);
        }

        if (await bots.RevokeAsync(member.ConversationId, botId) is not { } revoked)
        {
            return new Outcome<Bot>.NotFound($"There is no bot {botId} in this group, or it was already revoked.");
        }

        await audit.RecordAsync(actor, AuditActions.BotRevoked, revoked.UserId, revoked.Name, Where(member));
        return revoked;
    }

    // Only a bot that may still post: null for a key that is unknown or revoked.
    public Task<Bot?> FindByKeyAsync(string key) => bots.FindByKeyAsync(key);

    // A post through the webhook: the same limits and retry rule as a person's message, because it is the same send.
    public Task<SendOutcome> PostAsync(Bot bot, string? text, string? clientMessageId, CancellationToken cancellationToken) =>
        management.SendAsync(bot.ConversationId, bot.UserId, text, clientMessageId, cancellationToken: cancellationToken);

    private static string Where(Membership member) => $"in conversation {member.ConversationId}";

    private async Task<string?> RefusalAsync(Membership member)
    {
        if (member.IsOwner)
        {
            return null;
        }

        if (await admins.IsActiveAdminAsync(member.UserId) && (await conversations.FindAsync(member.ConversationId))?.Kind == ConversationKind.Group)
        {
            return null;
        }

        return "Only the group's owner or an administrator can manage its bots, and bots post only into groups.";
    }
}

// The key is in the URL and shown only in this answer: only its hash is kept.
public sealed record NewBot(Bot Bot, string Key);
