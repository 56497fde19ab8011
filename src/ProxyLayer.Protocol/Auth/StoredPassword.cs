namespace ProxyLayer.Protocol.Auth;

/// <summary>Which form a password is stored in (<c>mysql_users.password</c>, admin credentials).</summary>
public enum StoredPasswordKind
{
    /// <summary>NULL or empty: the user logs in with no password.</summary>
    Empty,
    Clear,
    /// <summary>mysql_native_password: <c>*</c> + 40 hex digits of SHA1(SHA1(password)).</summary>
    Native,
    /// <summary>caching_sha2_password as MySQL stores it: <c>$A$005$</c> + salt + digest.</summary>
    CachingSha2,
    /// <summary>MariaDB ed25519: <see cref="StoredPassword.Ed25519Prefix"/> + the public key as MariaDB stores it.</summary>
    Ed25519,
    /// <summary>MariaDB PARSEC as <c>mysql.global_priv</c> holds it: <c>P0:salt:key</c> (see <see cref="Auth.Parsec"/>).</summary>
    Parsec,
}

/// <summary>
/// A stored password, classified once. Every hashed form is recognised by a shape no sensible clear-text password has
/// (a prefix and an exact length); anything else is clear text.
/// </summary>
public sealed class StoredPassword
{
    /// <summary>
    /// MariaDB stores an ed25519 key as 43 bare base64 characters, which a generated clear-text password can look
    /// exactly like; the prefix makes the form unambiguous: <c>'$ed25519$' || ed25519_password('secret')</c>.
    /// </summary>
    public const string Ed25519Prefix = "$ed25519$";

    private StoredPassword(StoredPasswordKind kind, string text, CachingSha2Hash? sha2 = null, byte[]? ed25519Key = null, Parsec.Key? parsec = null)
    {
        Kind = kind;
        Text = text;
        CachingSha2 = sha2;
        Ed25519PublicKey = ed25519Key;
        ParsecKey = parsec;
    }

    public StoredPasswordKind Kind { get; }
    /// <summary>The stored text as configured (never logged).</summary>
    public string Text { get; }
    public CachingSha2Hash? CachingSha2 { get; }
    public byte[]? Ed25519PublicKey { get; }
    public Parsec.Key? ParsecKey { get; }

    /// <summary>The clear-text password if that is what is stored ("" for none), else null.</summary>
    public string? ClearText => Kind is StoredPasswordKind.Clear or StoredPasswordKind.Empty ? Text : null;

    public static StoredPassword Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return new StoredPassword(StoredPasswordKind.Empty, "");
        if (MysqlNativePassword.IsHashed(stored))
            return new StoredPassword(StoredPasswordKind.Native, stored);
        if (CachingSha2Hash.TryParse(stored) is { } sha2)
            return new StoredPassword(StoredPasswordKind.CachingSha2, stored, sha2: sha2);
        if (stored.StartsWith(Ed25519Prefix, StringComparison.Ordinal) &&
            ClientEd25519.TryDecodeStored(stored.AsSpan(Ed25519Prefix.Length)) is { } key)
            return new StoredPassword(StoredPasswordKind.Ed25519, stored, ed25519Key: key);
        if (stored.Length > 48 && stored[0] == 'P' && Parsec.TryParseStored(stored) is { } parsec)
            return new StoredPassword(StoredPasswordKind.Parsec, stored, parsec: parsec);
        return new StoredPassword(StoredPasswordKind.Clear, stored);
    }

    /// <summary>True if <paramref name="password"/> (clear text from the client) is the stored one, whatever the form.</summary>
    public bool Matches(string password) => Kind switch
    {
        StoredPasswordKind.Empty => password.Length == 0,
        StoredPasswordKind.Clear => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(Text)),
        StoredPasswordKind.Native => password.Length > 0 &&
            string.Equals(MysqlNativePassword.HashPassword(password), Text, StringComparison.OrdinalIgnoreCase),
        StoredPasswordKind.CachingSha2 => password.Length > 0 && CachingSha2!.Matches(password),
        StoredPasswordKind.Ed25519 => password.Length > 0 &&
            System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(ClientEd25519.PublicKey(password), Ed25519PublicKey),
        StoredPasswordKind.Parsec => password.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            Parsec.PublicKey(password, ParsecKey!.Salt, ParsecKey.Factor), ParsecKey.PublicKey),
        _ => false,
    };

    /// <summary>The password form, for messages: never the password.</summary>
    public override string ToString() => Kind.ToString();
}
