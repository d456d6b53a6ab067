using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace ChatMvc.Accounts;

// Identity's authenticator provider accepts a code for 90 seconds either side of its time, as often as it is sent, so
// a code seen over a shoulder or in a log signs in again. RFC 6238 (5.2) asks for a code to be accepted once: the
// time step of the accepted code is recorded with the account, and a code from that step or an earlier one is refused.
// Codes are computed as Identity computes them: HMAC-SHA1, 30-second steps, six digits, two steps of drift allowed.
public sealed class OneTimeAuthenticatorTokenProvider(IUserStore<ChatUser> store, TimeProvider time) : IUserTwoFactorTokenProvider<ChatUser>
{
    private const int StepSeconds = 30;
    private const int AllowedDriftSteps = 2;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ChatUser> manager, ChatUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    // Nothing is sent: the code comes from the person's authenticator app.
    public Task<string> GenerateAsync(string purpose, UserManager<ChatUser> manager, ChatUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ChatUser> manager, ChatUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (key is null || !int.TryParse(token, out var code) || FromBase32(key) is not { } keyBytes)
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        for (var step = now - AllowedDriftSteps; step <= now + AllowedDriftSteps; step++)
        {
            if (Code(keyBytes, step) == code)
            {
                return await ((UserStore)store).AcceptAuthenticatorStepAsync(user, step, CancellationToken.None);
            }
        }

        return false;
    }

    private static int Code(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(key, counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return binary % 1_000_000;
    }

    // Keys are stored as Identity writes them: base32 (RFC 4648) without padding.
    private static byte[]? FromBase32(string key)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(key.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in key.TrimEnd('='))
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = ((buffer << 5) | value) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
