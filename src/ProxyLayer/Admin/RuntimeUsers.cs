using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// ProxySQL keeps frontend and backend users apart at runtime, so <c>runtime_mysql_users</c> (and
/// <c>SAVE MYSQL USERS TO MEMORY</c>) shows a user with both roles twice: frontend=1,backend=0 and frontend=0,backend=1.
/// </summary>
internal static class RuntimeUsers
{
    public static ImmutableArray<UserConfig> Split(IEnumerable<UserConfig> users)
    {
        var rows = ImmutableArray.CreateBuilder<UserConfig>();
        foreach (var user in users)
        {
            if (user.Frontend && user.Backend)
            {
                rows.Add(user with { Frontend = true, Backend = false });
                rows.Add(user with { Frontend = false, Backend = true });
            }
            else
            {
                rows.Add(user);
            }
        }
        return rows.ToImmutable();
    }
}
