using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>Several refreshers behind the admin engine's one slot (monitor tables, stats tables); each fills its own tables.</summary>
internal sealed class CompositeTableRefresher(IReadOnlyList<IAdminTableRefresher> refreshers) : IAdminTableRefresher
{
    public void Refresh(SqliteConnection connection, IReadOnlySet<string> tables)
    {
        foreach (var refresher in refreshers)
            refresher.Refresh(connection, tables);
    }
}
