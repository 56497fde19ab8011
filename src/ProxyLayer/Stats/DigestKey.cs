namespace ProxyLayer.Stats;

/// <summary>
/// The primary key of <c>stats_mysql_query_digest</c>. A struct with value equality, so looking an entry up allocates
/// nothing; the strings are the session's own (schema, user) and are not copied.
/// </summary>
internal readonly record struct DigestKey(int Hostgroup, string Schema, string Username, string ClientAddress, ulong Hash);
