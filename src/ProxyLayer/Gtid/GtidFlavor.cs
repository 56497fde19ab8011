using System.Globalization;

namespace ProxyLayer.Gtid;

/// <summary>Whose GTIDs a backend speaks: MariaDB's (domain-server-sequence) or MySQL's (uuid:interval sets).</summary>
internal enum GtidFlavor
{
    MariaDb,
    MySql,
}

/// <summary>
/// Tells the flavors apart by the server version string (the handshake's, or <c>@@version</c>), and gives the
/// statement each flavor needs: turning on GTID reporting in OK packets, reading a server's applied position, and
/// waiting for a position.
/// </summary>
internal static class GtidFlavors
{
    /// <summary>
    /// MariaDB names itself in its version (<c>10.11.6-MariaDB-0+deb12u1</c>, or <c>5.5.5-10.11.6-MariaDB…</c> in the
    /// handshake); MySQL and Percona Server do not (<c>8.0.36</c>, <c>8.0.36-28</c>). An unknown (empty) version is
    /// taken as MariaDB, what read-your-writes assumed before MySQL was supported.
    /// </summary>
    public static GtidFlavor Of(string? serverVersion) =>
        string.IsNullOrEmpty(serverVersion) || serverVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
            ? GtidFlavor.MariaDb
            : GtidFlavor.MySql;

    /// <summary>What a backend connection runs once so its OK packets report each commit's GTID.</summary>
    public static string TrackingStatement(GtidFlavor flavor) => flavor == GtidFlavor.MySql
        // SESSION_TRACK_GTIDS records (type 3) with the session's own GTIDs.
        ? "SET session_track_gtids = OWN_GTID"
        // A last_gtid record among SESSION_TRACK_SYSTEM_VARIABLES (type 0), keeping variables already tracked.
        : "SET session_track_system_variables = IF(@@session_track_system_variables = '', 'last_gtid', " +
          "CONCAT(@@session_track_system_variables, ',last_gtid'))";

    /// <summary>The monitor's query for what a server has applied, replicated or written there.</summary>
    public static string PositionQuery(GtidFlavor flavor) => flavor == GtidFlavor.MySql
        ? "SELECT @@global.gtid_executed"
        : "SELECT @@global.gtid_current_pos";

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for <paramref name="position"/> (a GTID list or set as the flavor
    /// writes it). Both answer 0 once applied; MariaDB's MASTER_GTID_WAIT answers -1 on timeout, MySQL's
    /// WAIT_FOR_EXECUTED_GTID_SET 1.
    /// </summary>
    public static string WaitQuery(GtidFlavor flavor, string position, int timeoutMs)
    {
        var seconds = (timeoutMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        return flavor == GtidFlavor.MySql
            ? $"SELECT WAIT_FOR_EXECUTED_GTID_SET('{position}', {seconds})"
            : $"SELECT MASTER_GTID_WAIT('{position}', {seconds})";
    }
}
