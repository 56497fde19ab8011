using System.Globalization;
using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Stats.History;

/// <summary>
/// <c>history_mysql_status_variables</c>: every <c>stats_mysql_global</c> row at each sample, its name stored once in
/// <c>history_mysql_status_variables_lookup</c> and referred to by id, as ProxySQL does. Used only under the admin
/// store's lock.
/// </summary>
internal sealed class StatusVariablesHistory
{
    /// <summary>ProxySQL keeps these rows for good; a week, as the samples, keeps ~100 rows a minute from growing without bound.</summary>
    private const long RetentionSeconds = HistoryTable.SampleRetentionSeconds;

    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);

    public void Record(SqliteConnection connection, long timestamp, IReadOnlyDictionary<string, long> variables)
    {
        LoadIdsIfChanged(connection);
        using var transaction = connection.BeginTransaction();
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR REPLACE INTO stats_history.history_mysql_status_variables VALUES (@t, @id, @value)";
            var id = insert.Parameters.Add("@id", SqliteType.Integer);
            var value = insert.Parameters.Add("@value", SqliteType.Text);
            insert.Parameters.AddWithValue("@t", timestamp);
            foreach (var (name, number) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                id.Value = IdOf(connection, transaction, name);
                value.Value = number.ToString(CultureInfo.InvariantCulture);
                insert.ExecuteNonQuery();
            }
        }
        using (var trim = connection.CreateCommand())
        {
            trim.Transaction = transaction;
            trim.CommandText = $"DELETE FROM stats_history.history_mysql_status_variables WHERE timestamp < {timestamp - RetentionSeconds}";
            trim.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private long IdOf(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        if (_ids.TryGetValue(name, out var known))
            return known;
        using var add = connection.CreateCommand();
        add.Transaction = transaction;
        add.CommandText = "INSERT OR IGNORE INTO stats_history.history_mysql_status_variables_lookup (variable_name) VALUES (@name); " +
            "SELECT variable_id FROM stats_history.history_mysql_status_variables_lookup WHERE variable_name = @name";
        add.Parameters.AddWithValue("@name", name);
        var id = (long)add.ExecuteScalar()!;
        _ids[name] = id;
        return id;
    }

    /// <summary>
    /// Reads the lookup table when it does not hold what was learnt: at the first sample (ids kept from before a
    /// restart) and after an admin's DELETE from it, so no row is ever written with an id the lookup lacks.
    /// </summary>
    private void LoadIdsIfChanged(SqliteConnection connection)
    {
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM stats_history.history_mysql_status_variables_lookup";
            if ((long)count.ExecuteScalar()! == _ids.Count && _ids.Count > 0)
                return;
        }
        _ids.Clear();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT variable_id, variable_name FROM stats_history.history_mysql_status_variables_lookup";
        using var reader = select.ExecuteReader();
        while (reader.Read())
            _ids[reader.GetString(1)] = reader.GetInt64(0);
    }
}
