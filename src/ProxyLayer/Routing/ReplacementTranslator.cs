using System.Text;

namespace ProxyLayer.Routing;

/// <summary>
/// Turns a ProxySQL (RE2) <c>replace_pattern</c> into a .NET replacement string: <c>\1</c>…<c>\9</c> are group
/// references, <c>\\</c> is a backslash, and '$', special in .NET, is taken literally.
/// </summary>
internal static class ReplacementTranslator
{
    /// <returns>The .NET replacement; <paramref name="highestGroup"/> is the largest group referenced (0 if none).</returns>
    public static string ToDotNet(string replacePattern, out int highestGroup)
    {
        highestGroup = 0;
        var result = new StringBuilder(replacePattern.Length + 8);
        for (var i = 0; i < replacePattern.Length; i++)
        {
            var c = replacePattern[i];
            var next = i + 1 < replacePattern.Length ? replacePattern[i + 1] : '\0';
            if (c == '\\' && char.IsAsciiDigit(next))
            {
                var group = next - '0';
                highestGroup = Math.Max(highestGroup, group);
                // Braces keep "\1" followed by a digit from reading as group 10 and up.
                result.Append("${").Append(group).Append('}');
                i++;
            }
            else if (c == '\\' && next == '\\')
            {
                result.Append('\\');
                i++;
            }
            else if (c == '$')
            {
                result.Append("$$");
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
