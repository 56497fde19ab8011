using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// Where node and the mysql2 package are. Missing either fails the test with what to install: a machine without them
/// must not pass the mysql2 tests by skipping them (scripts/setup.sh, run first by scripts/test.sh, installs both).
/// </summary>
internal static class Mysql2Client
{
    private const string Setup = "run scripts/setup.sh, which installs node and npm (Debian's nodejs, npm) and the pinned mysql2 and mariadb with npm into .cache/node";

    /// <summary>The node_modules folder that holds mysql2: <c>.cache/node/node_modules</c> at the repository root.</summary>
    public static string NodeModules() => NodeModules("mysql2");

    /// <summary>The node_modules folder that holds <paramref name="package"/> (mysql2, or MariaDB's connector "mariadb").</summary>
    public static string NodeModules(string package)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ProxyLayer.slnx")))
            root = root.Parent;
        if (root is null)
            Assert.Fail($"node mysql2 missing: no repository root (ProxyLayer.slnx) above {AppContext.BaseDirectory}, so no .cache/node to look in");
        var modules = Path.Combine(root.FullName, ".cache", "node", "node_modules");
        if (!File.Exists(Path.Combine(modules, package, "package.json")))
            Assert.Fail($"node {package} missing: {Path.Combine(modules, package)} does not exist; {Setup}");
        return modules;
    }

    /// <summary>Runs node with <paramref name="arguments"/> (30 s at most: a login takes well under a second).</summary>
    public static async Task<ProcessResult> RunNodeAsync(IEnumerable<string> arguments)
    {
        var node = new[] { "/usr/bin/node", "/usr/local/bin/node" }.FirstOrDefault(File.Exists);
        if (node is null)
            Assert.Fail($"node missing: neither /usr/bin/node nor /usr/local/bin/node exists; {Setup}");
        return await ProcessRunner.RunAsync(node, arguments, null, TimeSpan.FromSeconds(30), default);
    }
}
