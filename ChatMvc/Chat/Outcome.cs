namespace ChatMvc.Chat;

// What a command decided, for every face to render its own way: the page as HTML, the API as problem+json.
// Closed: the only cases are the four below, so a face's mapping covers them all.
public abstract record Outcome<T>
{
    private Outcome()
    {
    }

    // The reason is for faces that show one; the pages answer their plain 404 and 403.
    public sealed record NotFound(string Reason) : Outcome<T>;

    public sealed record Forbidden(string Reason) : Outcome<T>;

    // Every field at fault, in the order a form shows them; the first is the one a single-message form shows.
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : Outcome<T>
    {
        public string Message => Errors[0].Message;
    }

    public sealed record Done(T Value) : Outcome<T>;

    public static implicit operator Outcome<T>(T value) => new Done(value);
}

public readonly record struct FieldError(string Field, string Message);

public static class Outcome
{
    public static Outcome<T> Invalid<T>(string field, string message) => new Outcome<T>.Invalid([new FieldError(field, message)]);
}
