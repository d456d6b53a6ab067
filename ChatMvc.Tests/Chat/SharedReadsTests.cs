using ChatMvc.Chat;

namespace ChatMvc.Tests.Chat;

public sealed class SharedReadsTests
{
    private readonly SharedReads<int, string> reads = new();

    [Fact]
    public async Task Callers_arriving_while_a_read_runs_share_it()
    {
        var gate = new TaskCompletionSource<string>();
        var started = 0;
        Task<string> Read()
        {
            Interlocked.Increment(ref started);
            return gate.Task;
        }

        var callers = Enumerable.Range(0, 20).Select(_ => reads.ReadAsync(1, Read)).ToList();
        Assert.Equal(1, reads.Running);
        gate.SetResult("members");

        Assert.All(await Task.WhenAll(callers), value => Assert.Equal("members", value));
        Assert.Equal(1, started);
        Assert.Equal(0, reads.Running);
    }

    [Fact]
    public async Task A_finished_read_is_never_handed_to_a_later_caller()
    {
        var count = 0;
        Task<string> Read() => Task.FromResult($"read {Interlocked.Increment(ref count)}");

        Assert.Equal("read 1", await reads.ReadAsync(1, Read));
        Assert.Equal("read 2", await reads.ReadAsync(1, Read));
    }

    [Fact]
    public async Task Different_keys_read_separately()
    {
        var gate = new TaskCompletionSource<string>();
        var first = reads.ReadAsync(1, () => gate.Task);
        var second = reads.ReadAsync(2, () => Task.FromResult("two"));

        Assert.Equal("two", await second);
        Assert.False(first.IsCompleted);
        gate.SetResult("one");
        Assert.Equal("one", await first);
    }

    [Fact]
    public async Task A_failed_read_fails_everyone_waiting_on_it_and_the_next_caller_reads_again()
    {
        var gate = new TaskCompletionSource<string>();
        var waiting = new[] { reads.ReadAsync(1, () => gate.Task), reads.ReadAsync(1, () => gate.Task) };
        gate.SetException(new InvalidOperationException("database gone"));

        foreach (var caller in waiting)
        {
            Assert.Equal("database gone", (await Assert.ThrowsAsync<InvalidOperationException>(() => caller)).Message);
        }

        Assert.Equal("back", await reads.ReadAsync(1, () => Task.FromResult("back")));
    }

    [Fact]
    public async Task A_read_that_throws_before_its_first_await_fails_its_callers_instead_of_escaping()
    {
        var caller = reads.ReadAsync(1, () => throw new InvalidOperationException("no connection"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => caller);
        Assert.Equal(0, reads.Running);
    }
}
