using System.Collections.Immutable;

namespace ProxyLayer.Config;

/// <summary>
/// What a <c>proxysql.cnf</c> holds: the top-level keys used at every start, and the sections (as a
/// <see cref="ProxyConfig"/>) that are only loaded on the first start, <c>--initial</c> or <c>--reload</c>.
/// </summary>
public sealed record ConfigFile
{
    public required string Path { get; init; }
    public string? Datadir { get; init; }
    public string? Errorlog { get; init; }
    public string? Pidfile { get; init; }

    /// <summary>
    /// Top-level <c>cluster_sync_interfaces</c> (ProxySQL has no admin variable for it): whether the interface variables
    /// are checksummed and taken from cluster peers. False unless the file says true.
    /// </summary>
    public bool ClusterSyncInterfaces { get; init; }
    public required ProxyConfig Config { get; init; }

    /// <summary>Things read but not used (unknown keys, unsupported sections), each with <c>file:line:</c>.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];
}
