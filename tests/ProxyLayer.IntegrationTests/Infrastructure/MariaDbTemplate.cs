namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// One datadir per test run made by <c>mariadb-install-db</c> with the rig accounts, copied for each
/// server: a copy is much cheaper than an install, and the accounts exist before any binary log does.
/// </summary>
internal static class MariaDbTemplate
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(2);
    private static readonly SemaphoreSlim CreateGate = new(1, 1);
    private static string? _dataDirectory;

    public static async Task CopyToAsync(string destination, CancellationToken cancellationToken)
    {
        var source = await GetDataDirectoryAsync(cancellationToken);
        CopyDirectory(source, destination);
    }

    private static async Task<string> GetDataDirectoryAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _dataDirectory) is { } existing)
            return existing;
        await CreateGate.WaitAsync(cancellationToken);
        try
        {
            return _dataDirectory ??= await InstallAsync(cancellationToken);
        }
        finally
        {
            CreateGate.Release();
        }
    }

    private static async Task<string> InstallAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(RigDirectory.Root, "template")).FullName;
        var usersFile = Path.Combine(directory, "users.sql");
        await File.WriteAllTextAsync(usersFile, RigSql.Users, cancellationToken);
        var dataDirectory = Path.Combine(directory, "data");

        List<string> arguments =
        [
            "--no-defaults",
            $"--datadir={dataDirectory}",
            // root keeps unix-socket login when we are root; otherwise it is passwordless over the socket only
            "--auth-root-authentication-method=" + (RigEnvironment.IsRoot ? "socket" : "normal"),
            "--skip-test-db",
            "--skip-name-resolve",
            $"--extra-file={usersFile}",
            .. MariaDbArguments.InnoDbSizing,
        ];
        if (RigEnvironment.IsRoot)
            arguments.Add("--user=root");

        var installer = RigEnvironment.FindExecutable("mariadb-install-db");
        var result = await ProcessRunner.RunAsync(installer, arguments, null, InstallTimeout, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"mariadb-install-db exited with {result.ExitCode}:{Environment.NewLine}{result.StandardOutput}{Environment.NewLine}{result.StandardError}");
        }

        return dataDirectory;
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var subdirectory in Directory.EnumerateDirectories(source))
            CopyDirectory(subdirectory, Path.Combine(destination, Path.GetFileName(subdirectory)));
    }
}
