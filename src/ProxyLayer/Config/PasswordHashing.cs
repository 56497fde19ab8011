using System.Collections.Immutable;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Auth;

namespace ProxyLayer.Config;

/// <summary>
/// <c>admin-hash_passwords</c>: clear-text passwords of <c>mysql_users</c> become hashes at LOAD MYSQL USERS TO
/// RUNTIME, in the form of <c>mysql-default_authentication_plugin</c> (<c>*HEX</c> or <c>$A$005$…</c>), so the clear
/// text is no longer kept in memory tables, on disk or in a saved config file.
/// </summary>
internal static class PasswordHashing
{
    public static ImmutableArray<UserConfig> HashClearText(ImmutableArray<UserConfig> users, string defaultPlugin)
    {
        var hashed = ImmutableArray.CreateBuilder<UserConfig>(users.Length);
        foreach (var user in users)
            hashed.Add(StoredPassword.Parse(user.Password).Kind == StoredPasswordKind.Clear ? user with { Password = Hash(user.Password!, defaultPlugin) } : user);
        return hashed.MoveToImmutable();
    }

    private static string Hash(string password, string defaultPlugin) =>
        defaultPlugin == AuthPlugins.CachingSha2Password ? CachingSha2Hash.HashPassword(password) : MysqlNativePassword.HashPassword(password);
}
