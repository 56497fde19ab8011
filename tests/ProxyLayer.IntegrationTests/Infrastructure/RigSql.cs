using System.Reflection;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>The SQL files under <c>scripts/sql</c>, embedded so tests and the bash topology share them.</summary>
internal static class RigSql
{
    public static string Users { get; } = Read("users.sql");

    public static string Schema { get; } = Read("schema.sql");

    private static string Read(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Sql." + fileName)
            ?? throw new InvalidOperationException($"Embedded resource Sql.{fileName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
