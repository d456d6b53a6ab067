using System.Net;
using System.Text.Json;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Api;

public sealed class OpenApiTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    // The contract of issue 6: these paths stay stable.
    public static TheoryData<string, string> ContractPaths => new()
    {
        { "post", "/api/v1/auth/register" },
        { "post", "/api/v1/auth/login" },
        { "post", "/api/v1/auth/refresh" },
        { "get", "/api/v1/users" },
        { "get", "/api/v1/users/me" },
        { "put", "/api/v1/users/me" },
        { "delete", "/api/v1/users/me" },
        { "get", "/api/v1/users/{id}" },
        { "get", "/api/v1/users/{id}/image" },
        { "put", "/api/v1/users/me/image" },
        { "get", "/api/v1/conversations" },
        { "post", "/api/v1/conversations" },
        { "get", "/api/v1/conversations/{id}" },
        { "delete", "/api/v1/conversations/{id}" },
        { "get", "/api/v1/conversations/with/{userId}" },
        { "post", "/api/v1/conversations/{id}/members" },
        { "delete", "/api/v1/conversations/{id}/members/{userId}" },
        { "post", "/api/v1/conversations/{id}/invites" },
        { "post", "/api/v1/invites/{token}/accept" },
        { "get", "/api/v1/conversations/{id}/messages" },
        { "post", "/api/v1/conversations/{id}/messages" },
        { "post", "/api/v1/conversations/{id}/messages/image" },
        { "patch", "/api/v1/conversations/{id}/messages/{messageId}" },
        { "delete", "/api/v1/conversations/{id}/messages/{messageId}" },
        { "post", "/api/v1/conversations/{id}/messages/{messageId}/reactions" },
        { "delete", "/api/v1/conversations/{id}/messages/{messageId}/reactions" },
        // Issue 18's administration.
        { "get", "/api/v1/admin/users" },
        { "post", "/api/v1/admin/users/{id}/deactivate" },
        { "post", "/api/v1/admin/users/{id}/reactivate" },
        { "post", "/api/v1/admin/users/{id}/promote" },
        { "post", "/api/v1/admin/users/{id}/demote" },
        { "get", "/api/v1/admin/settings" },
        { "put", "/api/v1/admin/settings" },
    };

    [Theory]
    [MemberData(nameof(ContractPaths))]
    public async Task Every_path_of_the_contract_is_in_the_openapi_document(string method, string path)
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        Assert.True(paths.TryGetProperty(path, out var operations), $"{path} is missing from /openapi/v1.json");
        Assert.True(operations.TryGetProperty(method, out _), $"{method.ToUpperInvariant()} {path} is missing from /openapi/v1.json");
    }

    [Fact]
    public async Task The_document_describes_only_the_api_and_its_bearer_scheme()
    {
        var document = await DocumentAsync();

        Assert.All(document.GetProperty("paths").EnumerateObject(), path => Assert.StartsWith("/api/v1/", path.Name));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var http = app.NewApiClient();
        return await (await http.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);
    }
}
