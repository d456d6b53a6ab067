using ChatMvc.Data;

namespace ChatMvc.Chat;

// The members page, which the member list, the title and the invites each show again with their own message.
public sealed class MembersPage(ConversationQueries conversations, PeopleQueries people, InviteQueries invites, AdminQueries admins)
{
    public const string View = "~/Views/Members/Index.cshtml";

    // The group owner's tools (people to add, invite links) only for the owner of a group.
    public async Task<MembersPageModel> BuildAsync(Membership viewer, string? q = null, MembersPageNotes? notes = null)
    {
        var details = (await conversations.FindAsync(viewer.ConversationId))!;
        var isGroupOwner = viewer.IsOwner && details.Kind == ConversationKind.Group;
        var candidates = isGroupOwner
            ? (await people.SearchAsync(q, viewer.UserId)).Where(p => details.Members.All(m => m.UserId != p.Id)).ToList()
            : [];
        return new MembersPageModel
        {
            Conversation = details,
            Title = details.TitleFor(viewer.UserId),
            ViewerId = viewer.UserId,
            IsOwner = isGroupOwner,
            Query = q,
            Candidates = candidates,
            Invites = isGroupOwner ? await invites.ListAsync(viewer.ConversationId) : [],
            // The bots page's own rule (Bots): a group's owner, or an administrator as the database says now.
            ManagesBots = details.Kind == ConversationKind.Group && (viewer.IsOwner || await admins.IsActiveAdminAsync(viewer.UserId)),
            Error = notes?.Error,
            TitleError = notes?.TitleError,
            NewInviteLink = notes?.NewInviteLink,
            InviteError = notes?.InviteError,
        };
    }
}

// What the page says after a form on it was sent: a refusal next to its form, or the new invite link.
public sealed record MembersPageNotes(string? Error = null, string? TitleError = null, string? NewInviteLink = null, string? InviteError = null);
