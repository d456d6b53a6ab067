using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Accounts;

// External logins, claims and authentication tokens: tables of their own, written straight away.
public sealed partial class UserStore :
    IUserLoginStore<ChatUser>,
    IUserClaimStore<ChatUser>,
    IUserAuthenticationTokenStore<ChatUser>
{
    public Task<ChatUser?> FindByLoginAsync(string loginProvider, string providerKey, CancellationToken cancellationToken) =>
        queries.FindByLoginAsync(loginProvider, providerKey, cancellationToken);

    public Task AddLoginAsync(ChatUser user, UserLoginInfo login, CancellationToken cancellationToken) =>
        logins.AddLoginAsync(user.Id, login, cancellationToken);

    public Task RemoveLoginAsync(ChatUser user, string loginProvider, string providerKey, CancellationToken cancellationToken) =>
        logins.RemoveLoginAsync(user.Id, loginProvider, providerKey, cancellationToken);

    public Task<IList<UserLoginInfo>> GetLoginsAsync(ChatUser user, CancellationToken cancellationToken) =>
        logins.LoginsAsync(user.Id, cancellationToken);

    public Task<IList<Claim>> GetClaimsAsync(ChatUser user, CancellationToken cancellationToken) =>
        logins.ClaimsAsync(user.Id, cancellationToken);

    public Task AddClaimsAsync(ChatUser user, IEnumerable<Claim> claims, CancellationToken cancellationToken) =>
        logins.AddClaimsAsync(user.Id, claims, cancellationToken);

    public Task ReplaceClaimAsync(ChatUser user, Claim claim, Claim newClaim, CancellationToken cancellationToken) =>
        logins.ReplaceClaimAsync(user.Id, claim, newClaim, cancellationToken);

    public Task RemoveClaimsAsync(ChatUser user, IEnumerable<Claim> claims, CancellationToken cancellationToken) =>
        logins.RemoveClaimsAsync(user.Id, claims, cancellationToken);

    public Task<IList<ChatUser>> GetUsersForClaimAsync(Claim claim, CancellationToken cancellationToken) =>
        queries.FindByClaimAsync(claim, cancellationToken);

    public Task SetTokenAsync(ChatUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken) =>
        logins.SetTokenAsync(user.Id, loginProvider, name, value, cancellationToken);

    public Task RemoveTokenAsync(ChatUser user, string loginProvider, string name, CancellationToken cancellationToken) =>
        logins.RemoveTokenAsync(user.Id, loginProvider, name, cancellationToken);

    public Task<string?> GetTokenAsync(ChatUser user, string loginProvider, string name, CancellationToken cancellationToken) =>
        logins.TokenAsync(user.Id, loginProvider, name, cancellationToken);
}
