namespace ProxyLayer.Protocol;

/// <summary>Names of authentication plugins as they appear on the wire.</summary>
public static class AuthPlugins
{
    public const string MysqlNativePassword = "mysql_native_password";
    public const string CachingSha2Password = "caching_sha2_password";
    public const string Sha256Password = "sha256_password";
    public const string MysqlOldPassword = "mysql_old_password";
    public const string ClearPassword = "mysql_clear_password";
}
