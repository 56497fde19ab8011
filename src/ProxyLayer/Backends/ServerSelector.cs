namespace ProxyLayer.Backends;

/// <summary>
/// ProxySQL's balancing inside a hostgroup: weighted random over ONLINE servers that have room under their
/// max_connections; weight 0 is never chosen.
/// </summary>
internal static class ServerSelector
{
    /// <param name="state">Passed to <paramref name="isUsable"/>, so callers need no closure (this runs for every statement).</param>
    public static HostgroupMember? Pick<TState>(HostgroupSnapshot hostgroup, TState state, Func<HostgroupMember, TState, bool> isUsable)
    {
        var members = hostgroup.Members;
        long total = 0;
        foreach (var member in members)
        {
            if (member.Config.Weight > 0 && isUsable(member, state))
                total += member.Config.Weight;
        }
        if (total == 0)
            return null;
        var ticket = Random.Shared.NextInt64(total);
        foreach (var member in members)
        {
            if (member.Config.Weight <= 0 || !isUsable(member, state))
                continue;
            ticket -= member.Config.Weight;
            if (ticket < 0)
                return member;
        }
        return null;
    }
}
