using ChatMvc.Caching;

namespace ChatMvc.Tests.Caching;

public sealed class LocalCopiesTests
{
    private readonly LocalCopies copies = new();

    public LocalCopiesTests() => copies.ProbeReturned(copies.NextProbe());

    [Fact]
    public void A_value_read_before_a_write_to_its_key_was_announced_is_not_kept()
    {
        var stamp = copies.StampOf("conversation:1:head");
        copies.Forget("conversation:1:head");
        copies.Keep("conversation:1:head", "7:0", stamp);

        Assert.False(copies.TryGet("conversation:1:head", out _));

        copies.Keep("conversation:1:head", "8:0", copies.StampOf("conversation:1:head"));
        Assert.True(copies.TryGet("conversation:1:head", out var head));
        Assert.Equal("8:0", head);
    }

    [Fact]
    public void Nothing_is_served_from_before_a_lost_subscription_even_after_it_returns()
    {
        copies.Keep("user:1:inbox", "5", copies.StampOf("user:1:inbox"));
        var readWhileListening = copies.StampOf("user:1:inbox");
        var sentBeforeTheLoss = copies.NextProbe();

        copies.StopListening();
        Assert.False(copies.TryGet("user:1:inbox", out _));
        copies.ProbeReturned(sentBeforeTheLoss);
        Assert.False(copies.IsListening);

        copies.ProbeReturned(copies.NextProbe());
        Assert.True(copies.IsListening);
        Assert.False(copies.TryGet("user:1:inbox", out _));
        copies.Keep("user:1:inbox", "5", readWhileListening);
        Assert.False(copies.TryGet("user:1:inbox", out _));
    }

    [Fact]
    public void Until_a_probe_has_come_back_nothing_is_kept_or_served()
    {
        var fresh = new LocalCopies();
        fresh.Keep("user:1:sessions", "0", fresh.StampOf("user:1:sessions"));

        Assert.False(fresh.IsListening);
        Assert.False(fresh.TryGet("user:1:sessions", out _));
        Assert.Equal(0, fresh.Count);
    }

    [Fact]
    public void A_list_is_kept_and_forgotten_as_a_value_is_and_never_served_as_one()
    {
        const string Recent = "conversation:1:recent";
        var stamp = copies.StampOf(Recent);
        copies.Forget(Recent);
        copies.KeepList(Recent, ["old"], stamp);
        Assert.False(copies.TryGetList(Recent, out _));

        copies.KeepList(Recent, ["a", "b"], copies.StampOf(Recent));
        Assert.True(copies.TryGetList(Recent, out var items));
        Assert.Equal(["a", "b"], items);
        Assert.False(copies.TryGet(Recent, out _));

        copies.Forget(Recent);
        Assert.False(copies.TryGetList(Recent, out _));
    }

    [Fact]
    public void Lists_past_the_bound_on_kept_text_start_the_copies_over()
    {
        copies.Keep("user:1:inbox", "5", copies.StampOf("user:1:inbox"));
        var large = new string('x', 1024 * 1024);

        // With the inbox's one character, 63 lists of 1 Mi characters stay within the bound of 64 Mi; the next passes it.
        for (var i = 0; i < 63; i++)
        {
            copies.KeepList($"conversation:{i}:recent", [large], copies.StampOf($"conversation:{i}:recent"));
        }

        Assert.True(copies.TryGet("user:1:inbox", out _));
        copies.KeepList("conversation:63:recent", [large], copies.StampOf("conversation:63:recent"));

        Assert.False(copies.TryGet("user:1:inbox", out _));
        Assert.False(copies.TryGetList("conversation:0:recent", out _));
        Assert.Equal(0, copies.Count);
    }
}
