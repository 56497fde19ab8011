namespace ProxyLayer.Cluster;

/// <summary>One row of <c>proxysql_servers</c>: a peer's admin interface.</summary>
internal sealed record ProxysqlServerConfig(string Hostname, int Port, int Weight, string Comment)
{
    public override string ToString() => $"{Hostname}:{Port}";
}
