using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using ProxyLayer.Admin;
using ProxyLayer.Config;
using ProxyLayer.Logging;
using ProxyLayer.Networking;
using ProxyLayer.Sessions;

namespace ProxyLayer;

internal static partial class Program
{
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket completions run on the socket engine's threads (one per core, as ProxySQL's worker threads) instead of
    /// being handed to the thread pool. Measured (benchmarks/PROFILE.md): the hand-off cost 40-47 % of the CPU per
    /// statement in context switches and idle workers spinning. It must be set before the first socket exists. What
    /// runs after a socket read must therefore never block: the admin interface, the monitor's verdicts and TLS
    /// handshakes move to the thread pool first. An operator can still turn it off by setting the variable to 0.
    /// </summary>
    private static void UseInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
    }

    public static async Task<int> Main(string[] args)
    {
        UseInlineSocketCompletions();
        var parsed = CommandLineOptions.Parse(args);
        if (!parsed.Succeeded)
        {
            await Console.Error.WriteLineAsync($"proxylayer: {parsed.Error}\nTry 'proxylayer --help'.").ConfigureAwait(false);
            return 2;
        }
        var options = parsed.Options!;
        if (options.ShowHelp)
        {
            Console.Write(CommandLineOptions.HelpText.EndsWith('\n') ? CommandLineOptions.HelpText : CommandLineOptions.HelpText + "\n");
            return 0;
        }
        if (options.ShowVersion)
        {
            Console.WriteLine($"ProxyLayer {typeof(Program).Assembly.GetName().Version?.ToString(3)}");
            return 0;
        }

        var level = Environment.GetEnvironmentVariable("PROXYLAYER_LOG_LEVEL") is { } text && Enum.TryParse<LogLevel>(text, true, out var parsedLevel)
            ? parsedLevel : LogLevel.Information;
        using var loggerFactory = ProxyLogging.CreateFactory(level);
        var logger = loggerFactory.CreateLogger("ProxyLayer");
        foreach (var flag in options.IgnoredFlags)
            LogIgnoredFlag(logger, flag);

        var location = ConfigFileLocator.Locate(options.ConfigPath);
        if (location.Error is not null)
        {
            LogFatal(logger, location.Error);
            return 1;
        }
        ConfigFile? file = null;
        if (location.Path is not null)
        {
            try
            {
                file = ConfigFileReader.Read(location.Path);
            }
            catch (ConfigFileException ex)
            {
                LogFatal(logger, ex.Message);
                return 1;
            }
            foreach (var warning in file.Warnings)
                LogConfigWarning(logger, warning);
            LogConfigFile(logger, location.Path);
        }
        else
        {
            LogNoConfigFile(logger);
        }
        var datadir = Path.GetFullPath(ConfigFileLocator.ResolveDatadir(options.Datadir, file?.Datadir));
        Directory.CreateDirectory(datadir);
        LogDatadir(logger, datadir);

        await using var host = new ProxyHost(loggerFactory, datadir) { ReusePort = options.ReusePort };
        host.Cluster.SyncInterfaces = file?.ClusterSyncInterfaces ?? false;
        AdminOpenResult opened;
        try
        {
            opened = AdminStore.Open(datadir, location.Path is null ? null : ConfigFileSource.FromPath(location.Path), options.Initial, options.Reload);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ConfigFileException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogFatal(logger, $"cannot open the configuration database in {datadir}: {ex.Message}");
            return 1;
        }
        using var store = opened.Store;
        LogConfigSource(logger, opened.Message);
        try
        {
            host.ClientTls = FrontendTls.LoadOrCreate(datadir);
            LogClientTls(logger, host.ClientTls.Generated ? "generated" : "loaded", datadir);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            LogClientTlsUnavailable(logger, datadir, ex.Message);
        }
        try
        {
            host.ClientAuth.RsaKey = FrontendRsaKey.LoadOrCreate(datadir);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            LogRsaKeyInMemory(logger, datadir, ex.Message);
        }
        try
        {
            var loaded = await host.StartWithAdminAsync(store, startMySql: !options.NoStart, startMonitor: !options.NoMonitor).ConfigureAwait(false);
            foreach (var warning in loaded.Warnings)
                LogConfigWarning(logger, warning);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
        {
            LogFatal(logger, ex.Message);
            return 1;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
        await using var reclaimer = new IdleMemoryReclaimer(loggerFactory.CreateLogger<IdleMemoryReclaimer>());
        LogStarted(logger, typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "?");
        await Task.WhenAny(stop.Task, host.StopRequested).ConfigureAwait(false);
        LogStopping(logger);
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "cannot start: {Reason}")]
    private static partial void LogFatal(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "flag {Flag} is accepted for ProxySQL compatibility and ignored")]
    private static partial void LogIgnoredFlag(ILogger logger, string flag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "config file: {Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "config file {Path} read")]
    private static partial void LogConfigFile(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "no config file given or found (./proxysql.cnf, ./proxysql.cfg, /etc/proxysql.cnf, /etc/proxysql.cfg): using built-in defaults")]
    private static partial void LogNoConfigFile(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "configuration: {Message}")]
    private static partial void LogConfigSource(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "data directory {Datadir}")]
    private static partial void LogDatadir(ILogger logger, string datadir);

    [LoggerMessage(Level = LogLevel.Information, Message = "client TLS: {How} proxysql-ca.pem, proxysql-cert.pem and proxysql-key.pem in {Datadir}")]
    private static partial void LogClientTls(ILogger logger, string how, string datadir);

    [LoggerMessage(Level = LogLevel.Error, Message = "client TLS is off: the certificate files in {Datadir} cannot be used: {Reason}")]
    private static partial void LogClientTlsUnavailable(ILogger logger, string datadir, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "caching_sha2_password RSA key: the files in {Datadir} cannot be used ({Reason}); a key made in memory serves until restart")]
    private static partial void LogRsaKeyInMemory(ILogger logger, string datadir, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "ProxyLayer {Version} started; SIGTERM or Ctrl-C stops it")]
    private static partial void LogStarted(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "shutting down")]
    private static partial void LogStopping(ILogger logger);
}
