using System.Security.Cryptography;
using System.Text;

namespace ChatMvc.Data;

// Random tokens handed to people (invite links, refresh tokens). Only their SHA-256 is stored, so the database
// alone opens nothing.
public static class SecretTokens
{
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
