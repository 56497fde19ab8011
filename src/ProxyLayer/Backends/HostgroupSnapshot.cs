using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Backends;

/// <summary>A server's membership of one hostgroup, as configured at the last load (or as the monitor moved it).</summary>
internal sealed record HostgroupMember(BackendServer Server, ServerConfig Config);

/// <summary>The servers of one hostgroup in one runtime snapshot. Immutable; a new load builds a new one.</summary>
internal sealed record HostgroupSnapshot(int Id, ImmutableArray<HostgroupMember> Members);
