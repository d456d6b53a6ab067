using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ChatMvc.Images;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Images;

// What an image may cost the server: a tiny file that decodes to hundreds of megabytes is refused from its header,
// and one person's photos in progress never make another person's photo wait.
public abstract class ImageCostTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ImageCostTests.HoldingApp
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // 0.38 MB on the wire, 373 MB decoded: it took 11–14 s of CPU to shrink before the decoded limit.
    private static readonly Lazy<byte[]> Costly = new(() => TestImages.FlatPng(7000, 7000, channels: 4, bits: 16));

    private static readonly Lazy<byte[]> CameraPhoto = new(() => TestImages.Encode(1600, 1200, ImageFormat.Jpeg));

    private static readonly Lazy<byte[]> SmallPhoto = new(() => TestImages.Encode(32, 32, ImageFormat.Jpeg));

    private static Upload CostlyPng => new("flat.png", "image/png", Costly.Value);

    [Fact]
    public async Task A_16_bit_7000_by_7000_rgba_png_is_refused_on_the_page_quickly_with_the_reason_and_nothing_stored()
    {
        using var ann = await app.NewPersonAsync("Ann Costly");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        Assert.True(Costly.Value.Length < 400_000, $"The sample is {Costly.Value.Length} bytes.");

        var watch = Stopwatch.StartNew();
        var composer = await ann.SendPhotoAsync(id, CostlyPng, body: "Our logo, full size");
        var avatar = await ann.UploadAvatarAsync(CostlyPng);
        watch.Stop();

        Assert.Equal(HttpStatusCode.BadRequest, composer.Status);
        Assert.Equal(HttpStatusCode.BadRequest, avatar.Status);
        foreach (var error in new[] { composer.Document.QuerySelector("#composer-error")!, avatar.Document.QuerySelector("#avatar-error")! })
        {
            Assert.Contains("7000 × 7000 pixels of 4 channels at 16 bits: 373 MB once decoded, more than the 64 MB", error.TextContent);
            Assert.Contains("8 bits per channel", error.TextContent);
        }

        Assert.Equal("Our logo, full size", composer.Document.QuerySelector("#message-body")!.TextContent);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Refusing took {watch.Elapsed}.");
        Assert.Equal(0, await app.CountMessagesAsync(id));
        Assert.Equal(0, await app.CountImagesAsync(id));
        Assert.Equal(0, await app.CountAvatarsAsync(ann.Id));
    }

    [Fact]
    public async Task A_16_bit_7000_by_7000_rgba_png_is_refused_by_the_api_quickly_as_a_problem_on_the_file_and_nothing_stored()
    {
        using var ann = await app.NewApiUserAsync("Ann Costly Api");
        using var bo = await app.NewApiUserAsync("Bo Api");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var watch = Stopwatch.StartNew();
        var photo = await ann.Http.PostAsync($"/api/v1/conversations/{id}/messages/image", Multipart(Costly.Value));
        var avatar = await ann.Http.PutAsync("/api/v1/users/me/image", Multipart(Costly.Value));
        watch.Stop();

        foreach (var response in new[] { photo, avatar })
        {
            var message = Assert.Single((await response.ValidationErrorsAsync())["file"]);
            Assert.Contains("373 MB once decoded, more than the 64 MB a PNG or GIF may take", message);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Refusing took {watch.Elapsed}.");
        Assert.Equal(0, await app.CountMessagesAsync(id));
        Assert.Equal(0, await app.CountImagesAsync(id));
        Assert.Equal(0, await app.CountAvatarsAsync(ann.Id));
    }

    [Fact]
    public async Task While_a_persons_photo_is_in_progress_their_next_gets_429_on_the_page_and_another_persons_photo_goes_through()
    {
        using var ann = await app.NewPersonAsync("Ann Burst");
        using var bo = await app.NewPersonAsync("Bo Small");
        var id = await ann.StartConversationAsync(null, bo);

        var hold = app.Processor.HoldNext();
        var first = ann.SendPhotoAsync(id, new Upload("first.jpg", "image/jpeg", CameraPhoto.Value), body: "First");
        try
        {
            await hold.Started.WaitAsync(Patience);

            var second = await ann.SendPhotoAsync(id, new Upload("second.jpg", "image/jpeg", CameraPhoto.Value), body: "Second");
            var avatar = await ann.UploadAvatarAsync(new Upload("me.jpg", "image/jpeg", CameraPhoto.Value));
            var others = await bo.SendPhotoAsync(id, new Upload("small.jpg", "image/jpeg", SmallPhoto.Value), body: "Mine is small")
                .WaitAsync(Patience);

            foreach (var (refused, error) in new[] { (second, "#composer-error"), (avatar, "#avatar-error") })
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
                Assert.Equal(TimeSpan.FromSeconds(2), refused.Response.Headers.RetryAfter?.Delta);
                Assert.Contains("Your previous photo is still being processed", refused.Document.QuerySelector(error)!.TextContent);
            }

            Assert.Equal(HttpStatusCode.OK, others.Status);
            Assert.Equal(["Mine is small"], ChatSteps.MessageTexts(others.Document));
        }
        finally
        {
            hold.Release();
        }

        var sent = await first.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        // Read once, so the window opens at the newest page rather than at Ann's unread message.
        await bo.OpenAsync(id);
        Assert.Equal(["Mine is small", "First"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
        Assert.Equal(2, await app.CountImagesAsync(id));
        Assert.Equal(0, await app.CountAvatarsAsync(ann.Id));
    }

    [Fact]
    public async Task While_a_persons_photo_is_in_progress_the_api_answers_their_next_with_429_and_retry_after_and_takes_anothers()
    {
        using var ann = await app.NewApiUserAsync("Ann Burst Api");
        using var bo = await app.NewApiUserAsync("Bo Small Api");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var url = $"/api/v1/conversations/{id}/messages/image";

        var hold = app.Processor.HoldNext();
        var first = ann.Http.PostAsync(url, Multipart(CameraPhoto.Value));
        try
        {
            await hold.Started.WaitAsync(Patience);

            var second = await ann.Http.PostAsync(url, Multipart(CameraPhoto.Value));
            var avatar = await ann.Http.PutAsync("/api/v1/users/me/image", Multipart(CameraPhoto.Value));
            var others = await bo.Http.PostAsync(url, Multipart(SmallPhoto.Value)).WaitAsync(Patience);

            foreach (var refused in new[] { second, avatar })
            {
                var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
                Assert.Contains("Your previous photo is still being processed", problem.GetProperty("detail").GetString());
                Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
            }

            await others.JsonAsync(HttpStatusCode.Created);
        }
        finally
        {
            hold.Release();
        }

        await (await first.WaitAsync(Patience)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, await app.CountImagesAsync(id));
        Assert.Equal(0, await app.CountAvatarsAsync(ann.Id));
    }

    private static MultipartFormDataContent Multipart(byte[] bytes)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", "upload" } };
    }
}

public static class ImageCostTests
{
    // The real app with one seam: the next photo to be decoded can be held in progress, in its slot, until released.
    public abstract class HoldingApp(Engine engine) : ChatAppFactory(engine)
    {
        public HoldingProcessor Processor { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<ImageProcessor>(Processor));
        }
    }

    public sealed class HoldingProcessor : ImageProcessor
    {
        private Hold? next;

        public Hold HoldNext()
        {
            var hold = new Hold();
            Assert.Null(Interlocked.CompareExchange(ref next, hold, null));
            return hold;
        }

        protected override async Task<ProcessedImage> DecodeAsync(byte[] data, ImagePurpose purpose, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref next, null) is { } hold)
            {
                await hold.HoldAsync();
            }

            return await base.DecodeAsync(data, purpose, cancellationToken);
        }
    }

    public sealed class Hold
    {
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Completes when the held photo is in its slot.
        public Task Started => started.Task;

        public void Release() => released.TrySetResult();

        internal async Task HoldAsync()
        {
            started.TrySetResult();
            await released.Task;
        }
    }

    public sealed class OnSqlite() : HoldingApp(Engine.Sqlite);

    public sealed class OnMariaDb() : HoldingApp(Engine.MariaDb);
}

public sealed class ImageCostTestsOnSqlite(ImageCostTests.OnSqlite app) : ImageCostTests<ImageCostTests.OnSqlite>(app);

public sealed class ImageCostTestsOnMariaDb(ImageCostTests.OnMariaDb app) : ImageCostTests<ImageCostTests.OnMariaDb>(app);
