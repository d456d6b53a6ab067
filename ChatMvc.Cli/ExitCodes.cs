namespace ChatMvc.Cli;

// One code per kind of failure, so a script can tell what to do next. Listed in `chat --help`.
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int NotSignedIn = 2;
    public const int SignInRefused = 3;
    public const int NotFound = 4;
    public const int Forbidden = 5;
    public const int TooLarge = 6;
    public const int TooManyRequests = 7;
    public const int Unreachable = 8;
    public const int ServerError = 9;

    public const string Help = """
        Exit codes:
          0  done
          1  the command line or what was sent is not valid (the message says what to change)
          2  not signed in, or the session has expired: run chat login
          3  sign-in refused: wrong email or password, account locked, or a two-factor code is needed
          4  not found: no such conversation that you are a member of, person, or invite
          5  not allowed: you are signed in but may not do this
          6  too large: the message or file is over the server's limit
          7  too many requests: wait the number of seconds the message gives, then try again
          8  the server cannot be reached: check --server or CHAT_SERVER and your network
          9  the server failed to answer properly: try again later
        """;
}

// A failure told to the person on standard error, with its exit code; never a stack trace.
public sealed class ChatException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
