using System.Diagnostics;
using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// Starts mariadbd through a tiny shell so that (1) it can get its own hostname in a fresh UTS
/// namespace, (2) its output goes to a log file instead of the test host's pipes, and (3) a watcher
/// kills it if the test host disappears without running its exit handlers. The shell execs mariadbd,
/// so the returned process is mariadbd itself.
/// </summary>
internal static class MariaDbLauncher
{
    // $1 hostname (empty: keep the real one), $2 owner pid, $3 log file, then the mariadbd command line.
    // Inside ( ... ) "$$" is still the launching shell, which becomes mariadbd after the final exec.
    private const string Script = """
        name="$1"; owner="$2"; log="$3"; shift 3
        exec </dev/null >>"$log" 2>&1
        if [ -n "$name" ]; then hostname "$name" || exit 97; fi
        (
          while kill -0 $$ 2>/dev/null; do
            if ! kill -0 "$owner" 2>/dev/null; then kill -9 $$ 2>/dev/null; exit 0; fi
            sleep 1
          done
        ) &
        exec "$@"
        """;

    public static Process Start(string? ownHostname, string logPath, IReadOnlyList<string> mariadbdArguments)
    {
        var startInfo = new ProcessStartInfo { UseShellExecute = false };
        if (ownHostname is not null)
        {
            startInfo.FileName = RigEnvironment.FindExecutable("unshare");
            startInfo.ArgumentList.Add("--uts");
            startInfo.ArgumentList.Add("sh");
        }
        else
        {
            startInfo.FileName = "/bin/sh";
        }

        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(Script);
        startInfo.ArgumentList.Add("mariadbd-launcher");
        startInfo.ArgumentList.Add(ownHostname ?? "");
        startInfo.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(logPath);
        startInfo.ArgumentList.Add(RigEnvironment.FindExecutable("mariadbd"));
        foreach (var argument in mariadbdArguments)
            startInfo.ArgumentList.Add(argument);

        return Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start mariadbd.");
    }
}
