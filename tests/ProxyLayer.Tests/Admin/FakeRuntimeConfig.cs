using System.Globalization;
using System.Text.RegularExpressions;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Admin;

/// <summary>A runtime that validates like the real one will (regexes compile, keys unique, typed variables) and swaps whole.</summary>
internal sealed class FakeRuntimeConfig : IRuntimeConfig
{
    public ProxyConfig Current { get; set; } = ProxyConfig.Empty;

    public int ApplyCount { get; private set; }

    public List<string> WarningsToReport { get; } = [];

    public RuntimeApplyResult Apply(ProxyConfig candidate)
    {
        ApplyCount++;
        var errors = Validate(candidate).ToArray();
        if (errors.Length > 0)
            return RuntimeApplyResult.Failed(errors);
        Current = candidate;
        return new RuntimeApplyResult([], [.. WarningsToReport]);
    }

    private static IEnumerable<string> Validate(ProxyConfig candidate)
    {
        foreach (var rule in candidate.QueryRules)
        {
            foreach (var (column, pattern) in new[] { ("match_pattern", rule.MatchPattern), ("match_digest", rule.MatchDigest) })
            {
                string? error = null;
                try
                {
                    _ = new Regex(pattern ?? "");
                }
                catch (ArgumentException e)
                {
                    error = $"mysql_query_rules rule_id={rule.RuleId}: invalid {column} '{pattern}': {e.Message}";
                }
                if (error is not null)
                    yield return error;
            }
        }
        foreach (var group in candidate.Servers.GroupBy(s => (s.HostgroupId, s.Hostname, s.Port)).Where(g => g.Count() > 1))
            yield return $"mysql_servers hostgroup_id={group.Key.HostgroupId}, hostname={group.Key.Hostname}, port={group.Key.Port}: duplicate";
        if (candidate.Variables.TryGetValue("mysql-threads", out var threads) &&
            !(int.TryParse(threads, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 255))
            yield return $"mysql-threads '{threads}': must be an integer from 1 to 255";
    }
}
