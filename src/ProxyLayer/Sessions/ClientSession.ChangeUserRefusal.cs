using ProxyLayer.Protocol;

namespace ProxyLayer.Sessions;

/// <summary>
/// A refused COM_CHANGE_USER, answered as MariaDB answers it (sql_parse.cc, COM_CHANGE_USER): the session stays open,
/// logged in as before and in the same schema, but everything else is reset, as the server resets the session before
/// it checks the new login. The answer comes after a second, and after three refusals every further COM_CHANGE_USER on
/// the connection is an unknown command: the server's limits on password guessing, kept here since the proxy checks
/// the passwords. (MySQL closes the connection instead; a TLS client then sees the TLS stream end.)
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>MariaDB allows three refused COM_CHANGE_USER per connection.</summary>
    private const int MaxRefusedChangeUsers = 3;

    /// <summary>MariaDB sleeps this long before it answers a refused COM_CHANGE_USER.</summary>
    private static readonly TimeSpan RefusedChangeUserDelay = TimeSpan.FromSeconds(1);

    private int _refusedChangeUsers;

    private async Task RefuseChangeUserAsync(MySqlError error, CancellationToken cancellationToken)
    {
        _refusedChangeUsers++;
        ResetSession();
        await Task.Delay(RefusedChangeUserDelay, cancellationToken).ConfigureAwait(false);
        await SendErrorAsync(error).ConfigureAwait(false);
    }
}
