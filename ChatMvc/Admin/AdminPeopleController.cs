using ChatMvc.Chat;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Admin;

// The people of the installation, as administrators see them, and the accounts administrators create.
[Authorize]
[AdminOnly]
public sealed class AdminPeopleController(Administration administration, AdminRegistration registration) : Controller
{
    [HttpGet(AdminUrls.People)]
    public async Task<IActionResult> Index() => View(new AdminPeopleModel(await administration.PeopleAsync(), User.UserId()));

    [HttpGet(AdminUrls.NewPerson)]
    public IActionResult New() => View(new AdminNewPersonModel());

    [HttpPost(AdminUrls.CreatePerson)]
    public async Task<IActionResult> Create(string? email, string? displayName, string? password)
    {
        switch (await registration.CreateAccountAsync(User, HttpContext, email, displayName, password))
        {
            case Outcome<Data.AccountRow>.Done(var account):
                this.SetStatus($"Created the account of {account.DisplayName}. Give them the password you chose; they can change it after signing in.");
                return Redirect(AdminUrls.Person(account.Id));
            case Outcome<Data.AccountRow>.Invalid(var errors):
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return View("New", new AdminNewPersonModel(email, displayName, errors));
            default:
                return NotFound();
        }
    }
}
