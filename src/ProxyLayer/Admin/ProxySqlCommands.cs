namespace ProxyLayer.Admin;

/// <summary>
/// <c>PROXYSQL …</c> commands. Shutdown and restart are signals the host acts on after answering OK; the host has no
/// log reopening or listener pausing yet, so FLUSH LOGS, PAUSE and RESUME are accepted as no-ops that say so.
/// </summary>
internal static class ProxySqlCommands
{
    public static AdminResult Run(ProxySqlAction action) => action switch
    {
        ProxySqlAction.Shutdown => new AdminResult.Shutdown(Graceful: false),
        ProxySqlAction.ShutdownSlow => new AdminResult.Shutdown(Graceful: true),
        ProxySqlAction.Restart => new AdminResult.Restart(),
        ProxySqlAction.FlushLogs => NotSupportedYet("PROXYSQL FLUSH LOGS"),
        ProxySqlAction.Pause => NotSupportedYet("PROXYSQL PAUSE"),
        ProxySqlAction.Resume => NotSupportedYet("PROXYSQL RESUME"),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static AdminResult.Ok NotSupportedYet(string command)
    {
        var note = $"{command} is accepted but does nothing yet in ProxyLayer";
        return new AdminResult.Ok(0, note, [AdminWarning.Of(note)]);
    }
}
