namespace ProxyLayer.Http.Dashboard;

/// <summary>
/// The parameters of a Digest <c>Authorization</c> header: comma-separated <c>name=value</c> or
/// <c>name="quoted \" value"</c>. Malformed input gives false, never an exception.
/// </summary>
internal sealed class DigestHeader
{
    private const int MaxParameters = 32;
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public static bool TryParse(ReadOnlySpan<char> text, out DigestHeader header)
    {
        header = new DigestHeader();
        var i = 0;
        while (true)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t' || text[i] == ','))
                i++;
            if (i == text.Length)
                return header._values.Count > 0;
            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',' && text[i] != ' ')
                i++;
            if (i == nameStart || i == text.Length || text[i] != '=')
                return false;
            var name = text[nameStart..i].ToString();
            i++;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                i++;
                var builder = new System.Text.StringBuilder();
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                        i++;
                    builder.Append(text[i]);
                    i++;
                }
                if (i == text.Length)
                    return false; // unterminated quote
                i++;
                value = builder.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != ',' && text[i] != ' ')
                    i++;
                value = text[valueStart..i].ToString();
            }
            if (header._values.Count >= MaxParameters || !header._values.TryAdd(name, value))
                return false;
        }
    }
}
