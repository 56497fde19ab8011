using System.Globalization;
using System.Text;

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
        }
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
