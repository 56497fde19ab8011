using System.Text.Json;

namespace ProxyLayer.Routing;

/// <summary>
/// A rule's <c>attributes.flagOUTs</c>: <c>{"flagOUTs":[{"id":1,"weight":1000},{"id":2,"weight":100}]}</c>. When the
/// rule matches, one id is picked at random with probability weight / total and becomes the flagIN, as ProxySQL does;
/// a flagOUT column set on the same rule still wins.
/// </summary>
internal sealed class WeightedFlagOuts
{
    private readonly int[] _ids;
    private readonly int[] _weights;

    private WeightedFlagOuts(int[] ids, int[] weights, int totalWeight)
    {
        _ids = ids;
        _weights = weights;
        TotalWeight = totalWeight;
    }

    public int TotalWeight { get; }

    public ReadOnlySpan<int> Ids => _ids;

    /// <summary>Picks a flagOUT: k uniform in [0, total), then the entry whose cumulative weight passes k.</summary>
    public int? Pick(Random random)
    {
        if (TotalWeight == 0)
            return null;
        var k = random.Next(TotalWeight);
        for (var i = 0; i < _weights.Length; i++)
        {
            if (k < _weights[i])
                return _ids[i];
            k -= _weights[i];
        }
        return _ids[^1];
    }

    /// <summary>
    /// Reads the attributes text of one rule. Empty text means no attributes. Errors name what is wrong; keys other
    /// than flagOUTs are reported as warnings (ProxySQL ignores them too).
    /// </summary>
    public static WeightedFlagOuts? Parse(string attributes, List<string> errors, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(attributes))
            return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(attributes);
        }
        catch (JsonException ex)
        {
            errors.Add($"attributes is not valid JSON: {ex.Message}");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"attributes must be a JSON object, found {root.ValueKind}");
                return null;
            }
            WeightedFlagOuts? result = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("flagOUTs"))
                    result = ParseEntries(property.Value, errors, warnings);
                else
                    warnings.Add($"attributes key '{property.Name}' is not used and is ignored");
            }
            return result;
        }
    }

    private static WeightedFlagOuts? ParseEntries(JsonElement entries, List<string> errors, List<string> warnings)
    {
        if (entries.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"attributes.flagOUTs must be an array of {{\"id\":…,\"weight\":…}}, found {entries.ValueKind}");
            return null;
        }
        var ids = new List<int>();
        var weights = new List<int>();
        var index = 0;
        var errorCount = errors.Count;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
                errors.Add($"attributes.flagOUTs[{index}] must be an object {{\"id\":…,\"weight\":…}}, found {entry.ValueKind}");
            else if (TryReadCount(entry, "id", index, errors, out var id) & TryReadCount(entry, "weight", index, errors, out var weight))
            {
                ids.Add(id);
                weights.Add(weight);
            }
            index++;
        }
        if (errors.Count > errorCount)
            return null;
        if (index == 0)
        {
            warnings.Add("attributes.flagOUTs is empty and has no effect");
            return null;
        }
        var total = weights.Sum(static w => (long)w);
        if (total > int.MaxValue)
        {
            errors.Add($"attributes.flagOUTs weights add up to {total}, more than {int.MaxValue}");
            return null;
        }
        if (total == 0)
            warnings.Add("attributes.flagOUTs weights are all 0: no flagOUT is ever picked");
        return new WeightedFlagOuts([.. ids], [.. weights], (int)total);
    }

    /// <summary>ProxySQL takes only unsigned integers for both fields.</summary>
    private static bool TryReadCount(JsonElement entry, string name, int index, List<string> errors, out int value)
    {
        value = 0;
        if (!entry.TryGetProperty(name, out var element))
        {
            errors.Add($"attributes.flagOUTs[{index}] has no \"{name}\"");
            return false;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out value) || value < 0)
        {
            errors.Add($"attributes.flagOUTs[{index}].{name} must be an integer from 0 to {int.MaxValue}, found {element.GetRawText()}");
            return false;
        }
        return true;
    }
}
