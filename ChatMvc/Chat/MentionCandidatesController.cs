using ChatMvc.Data;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Chat;

// The composer's @ picker: the members whose names contain what follows the @.
[Route("conversations/{conversationId}/mentions")]
public sealed class MentionCandidatesController(ConversationCache cache, ConversationQueries conversations) : ConversationScopedController(cache)
{
    public const int MaxCandidates = 8;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q)
    {
        var query = q?.Trim() ?? string.Empty;
        var details = (await conversations.FindAsync(ConversationId))!;
        var members = details.Members
            .Where(m => m.UserId != CurrentUserId && m.DisplayName.Contains(query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(m => !m.DisplayName.StartsWith(query, StringComparison.OrdinalIgnoreCase))
            .ThenBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Take(MaxCandidates)
            .ToList();
        var everyone = details.MayMentionEveryone(CurrentUserId) && Mentions.Everyone.StartsWith(query, StringComparison.OrdinalIgnoreCase);
        Response.VaryOnHtmx();
        return PartialView("_MentionCandidates", new MentionCandidatesModel(members, everyone, query));
    }
}
