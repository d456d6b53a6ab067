using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;

namespace ChatMvc.Accounts;

// Antiforgery tokens decrypted once and remembered for a minute, as RememberedTicketFormat remembers the sign-in
// cookie. Every page reads the person's antiforgery cookie to put its token in the page's forms, and every post reads
// that cookie and the page's token again: each a decryption (Data Protection's key derivation, AES-CBC and HMAC),
// about a twentieth of a chat window's time.
//
// Only decryption is remembered, a pure function of the token's bytes; what antiforgery checks afterwards (that the
// two tokens pair, the person's name) runs on every request. Only tokens that decrypted are remembered, so made-up
// ones cannot fill the memory. Encryption is never reused: a page's token is encrypted afresh each time, so it differs
// from page to page and a compressed page gives no secret away. The one thing that waits up to a minute is a Data
// Protection key revoked by hand.
public sealed class RememberedAntiforgeryTokens(IDataProtectionProvider inner) : IDataProtectionProvider
{
    // The purpose antiforgery protects its tokens under (its DefaultAntiforgeryTokenSerializer).
    public const string AntiforgeryPurpose = "Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1";

    private readonly Lazy<RememberingProtector> antiforgery = new(() => new RememberingProtector(inner.CreateProtector(AntiforgeryPurpose)));

    // The one protector of antiforgery tokens, whoever asks for it.
    public RememberingProtector Antiforgery => antiforgery.Value;

    public IDataProtector CreateProtector(string purpose) =>
        string.Equals(purpose, AntiforgeryPurpose, StringComparison.Ordinal) ? Antiforgery : inner.CreateProtector(purpose);

    public sealed class RememberingProtector(IDataProtector inner) : IDataProtector
    {
        private static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);

        // Tokens in use within a minute; past this, tokens are decrypted every time until entries expire.
        private const int MaxRemembered = 20_000;

        private readonly MemoryCache remembered = new(new MemoryCacheOptions { SizeLimit = MaxRemembered });

        private long decryptions;

        // Tokens decrypted rather than remembered; for tests and diagnostics.
        public long Decryptions => Interlocked.Read(ref decryptions);

        public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

        public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData)
        {
            var key = Convert.ToBase64String(protectedData);
            if (!remembered.TryGetValue(key, out byte[]? plaintext) || plaintext is null)
            {
                Interlocked.Increment(ref decryptions);
                // Throws for a token that does not decrypt, which is then not remembered.
                plaintext = inner.Unprotect(protectedData);
                remembered.Set(key, plaintext, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Remember });
            }

            // A copy per request: the caller owns what it is given.
            return plaintext.AsSpan().ToArray();
        }
    }
}
