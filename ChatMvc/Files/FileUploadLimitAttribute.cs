using ChatMvc.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace ChatMvc.Files;

// A route that takes a file: its body may be as large as Uploads:MaxFileMegabytes allows (and no larger). The size is
// configuration, so the routes are given it as endpoint metadata when they are mapped (WithFileUploadLimits), from
// which routing sets the server's limit before any filter runs. Among the filters this is the route's size policy:
// it comes after [RequestSizeLimit] (900), which then stands aside for it, and before the page antiforgery check
// (1000), which reads the form. A body that says it is larger is refused with 413 before any of it is read.
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileUploadLimitAttribute : Attribute, IFilterFactory, IOrderedFilter
{
    public int Order => 901;

    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        new Limit(serviceProvider.GetRequiredService<IOptions<UploadOptions>>().Value);

    // The endpoint metadata the routing middleware sets the server's body limit from, and the API's early 413 reads:
    // added last, so it is the one that counts.
    public static ControllerActionEndpointConventionBuilder WithFileUploadLimits(ControllerActionEndpointConventionBuilder builder, long maxBodyBytes)
    {
        builder.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<FileUploadLimitAttribute>().Any())
            {
                endpoint.Metadata.Add(new RequestSizeLimitAttribute(maxBodyBytes));
            }
        });
        return builder;
    }

    private sealed class Limit(UploadOptions options) : IAuthorizationFilter, IRequestSizePolicy, IOrderedFilter
    {
        public int Order => 901;

        public void OnAuthorization(AuthorizationFilterContext context)
        {
            var http = context.HttpContext;
            if (http.Request.ContentLength > options.MaxBodyBytes)
            {
                var detail = $"The file is larger than {options.MaxFileMegabytes} MB, the most this chat accepts. Send a smaller one, or share a link to it.";
                context.Result = context.ActionDescriptor is Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor { ControllerTypeInfo: var type }
                    && type.IsSubclassOf(typeof(ApiController))
                    ? new ObjectResult(new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge, Title = "File too large", Detail = detail })
                    {
                        StatusCode = StatusCodes.Status413PayloadTooLarge,
                        ContentTypes = { "application/problem+json" },
                    }
                    : new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
                return;
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = options.MaxBodyBytes;
            }

            if (http.Request.HasFormContentType && http.Features.Get<IFormFeature>()?.Form is null)
            {
                http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = options.MaxBodyBytes }));
            }
        }
    }
}
