using ChatMvc.Data;
using ChatMvc.Images;
using Microsoft.AspNetCore.Mvc;

namespace ChatMvc.Api;

// Everyone's public face: the directory, a person, their picture.
[Route("api/v1/users")]
[Tags("Users")]
public sealed class UsersApiController(PeopleQueries people, ImageDelivery delivery) : ApiController
{
    public const int MaxPageSize = 100;

    // The directory, searched by part of a display name or a whole email address, as on the new-conversation page.
    [HttpGet("")]
    public async Task<ActionResult<PagedPeopleJson>> Search(string? q, int page = 1, int pageSize = 20)
    {
        if (page < 1)
        {
            ModelState.AddModelError("page", "page starts at 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            ModelState.AddModelError("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }
        else if ((long)page * pageSize > int.MaxValue)
        {
            // The offset would overflow, and a negative one is an SQL error on MySQL.
            ModelState.AddModelError("page", $"page can be at most {int.MaxValue / pageSize} with pageSize {pageSize}.");
        }

        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        var found = await people.SearchAsync(q, excludeUserId: 0, limit: pageSize + 1, offset: (page - 1) * pageSize);
        return new PagedPeopleJson(
            found.Take(pageSize).Select(PersonJson.From).ToList(), new PeoplePagingJson(page, pageSize, found.Count > pageSize));
    }

    [HttpGet("{id:long}")]
    public async Task<ActionResult<PersonJson>> Show(long id) =>
        (await people.FindManyAsync([id])).SingleOrDefault() is { } person
            ? PersonJson.From(person)
            : Refuse(StatusCodes.Status404NotFound, $"There is no user {id}.");
    // The person's picture (256 × 256 JPEG), or 404 when they have none.
    [HttpGet("{id:long}/image")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "image/jpeg")]
    public async Task<IActionResult> Image(long id)
    {
        var person = (await people.FindManyAsync([id])).SingleOrDefault();
        return person?.AvatarImageId is { } imageId
            ? await delivery.ServeAsync(this, imageId, ImageVariants.Avatar)
            : Refuse(StatusCodes.Status404NotFound, person is null ? $"There is no user {id}." : $"User {id} has no picture; show their initials.");
    }

}
