using System.Globalization;
using System.Text;
using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Config;

/// <summary>
/// The <c>mysql_users</c> rows that can never log in, refused at LOAD so they never reach runtime: an empty name, or a
/// name holding NUL or another control character (no client can send one; NUL ends the name on the wire).
/// </summary>
internal static class UserRowValidation
{
    public static IEnumerable<string> Errors(IEnumerable<UserConfig> users)
    {
        foreach (var user in users)
        {
            if (user.Username.Length == 0)
                yield return $"{Row(user)}: username is empty";
            else if (FirstControlCharacter(user.Username) is { } control)
                yield return $"{Row(user)}: username contains the control character U+{(int)control:X4}";
            else if (BackendLoginProblem(user, users) is { } problem)
                yield return $"{Row(user)}: {problem}";
        }
    }

    /// <summary>
    /// Password forms that can never log in to a server, known at LOAD whatever the servers' plugins: an ed25519 key
    /// (a client's signature reveals nothing the proxy can log in with) unless a backend-only row gives the password,
    /// and a backend-only row that is not clear text (no client login runs for it, so a hash stays unusable).
    /// </summary>
    private static string? BackendLoginProblem(UserConfig user, IEnumerable<UserConfig> users)
    {
        if (!user.Active)
            return null;
        var kind = StoredPassword.Parse(user.Password).Kind;
        if (user.Frontend && kind is StoredPasswordKind.Ed25519 or StoredPasswordKind.Parsec)
        {
            var form = kind == StoredPasswordKind.Ed25519 ? "an ed25519 key" : "a parsec key";
            if (user.Backend)
                return $"{form} lets clients log in but gives the proxy nothing to log in to servers with; " +
                    "set backend=0 and add a row with frontend=0, backend=1 and the password the proxy logs in with";
            var hasBackendRow = users.Any(u => u.Active && u.Backend && !u.Frontend && u.Username == user.Username &&
                StoredPassword.Parse(u.Password).ClearText is not null);
            if (!hasBackendRow)
                return $"backend=0 with {form} needs a row with frontend=0, backend=1 and a clear-text password for the servers";
        }
        // The split form ProxySQL's SAVE MYSQL USERS TO MEMORY writes (the same password on a frontend-only and a
        // backend-only row) is fine: the frontend row's client login teaches the proxy what it needs.
        if (user.Backend && !user.Frontend && kind is StoredPasswordKind.Native or StoredPasswordKind.CachingSha2 or StoredPasswordKind.Ed25519 or StoredPasswordKind.Parsec &&
            !users.Any(u => u.Active && u.Frontend && u.Username == user.Username && u.Password == user.Password))
            return $"a backend-only row needs the clear-text password: no client login teaches the proxy anything for it (stored as {kind})";
        return null;
    }

    /// <summary>
    /// The schema allows a NULL password, and ProxySQL (as MySQL) takes it as no password: the user logs in with an
    /// empty one. Allowed, but said, since it is more often a forgotten column than a choice.
    /// </summary>
    public static IEnumerable<string> Warnings(IEnumerable<UserConfig> users) =>
        users.Where(u => u.Password is null && u.Frontend && u.Active && u.Username.Length > 0)
            .Select(u => $"{Row(u)}: password is NULL, so clients log in as this user with no password");

    /// <summary>Names the row with its key; control characters are shown escaped, never sent raw to a terminal.</summary>
    private static string Row(UserConfig user) =>
        $"mysql_users (username='{Printable(user.Username)}', backend={(user.Backend ? 1 : 0)}, frontend={(user.Frontend ? 1 : 0)})";

    private static char? FirstControlCharacter(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
                return c;
        }
        return null;
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c))
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.ToString();
    }
}
