using ProxyLayer.Config;

namespace ProxyLayer.Tests.Config;

public class VariablesTests
{
    private static Dictionary<string, string> Vars(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Defaults_cover_the_tsv_with_proxylayer_overrides()
    {
        Assert.Equal(221, VariableDefaults.All.Count);
        Assert.Equal("false", VariableDefaults.All["admin-hash_passwords"]);
        Assert.Equal("300000", VariableDefaults.All["admin-scheduler_timeout_ms"]);
        Assert.Equal("mysql_native_password", VariableDefaults.All["mysql-default_authentication_plugin"]);
        Assert.Equal("true", VariableDefaults.All["mysql-monitor_writer_fencing"]);
        Assert.Equal("false", VariableDefaults.All["mysql-read_your_writes"]);
        Assert.Equal("wait", VariableDefaults.All["mysql-read_your_writes_fallback"]);
        Assert.Equal("100", VariableDefaults.All["mysql-monitor_gtid_interval"]);
        Assert.Equal("127.0.0.1:6032", VariableDefaults.All["admin-mysql_ifaces"]);
        Assert.Equal("0.0.0.0:6033", VariableDefaults.All["mysql-interfaces"]);
        Assert.Equal("admin:admin;radmin:radmin", VariableDefaults.All["admin-admin_credentials"]);
        Assert.Equal("", VariableDefaults.All["mysql-server_version"]); // the backends' own version is announced
        Assert.Equal("", VariableDefaults.All["admin-telnet_admin_ifaces"]);
        Assert.True(VariableDefaults.IsKnown("MYSQL-THREADS"));
        Assert.False(VariableDefaults.IsKnown("mysql-no_such_thing"));
    }

    [Fact]
    public void Defaults_alone_parse_into_typed_records()
    {
        var mysql = MySqlVariables.Parse(Vars());
        var admin = AdminVariables.Parse(Vars());

        Assert.True(mysql.Succeeded, string.Join("\n", mysql.Errors));
        Assert.True(admin.Succeeded, string.Join("\n", admin.Errors));
        Assert.Equal([new ListenEndpoint("0.0.0.0", 6033)], mysql.Value!.Interfaces.ToArray());
        Assert.Equal(4, mysql.Value.Threads);
        Assert.Equal(10_000, mysql.Value.MaxConnections);
        Assert.Equal(86_400_000, mysql.Value.DefaultQueryTimeout);
        Assert.True(mysql.Value.MonitorWriterIsAlsoReader);
        Assert.Equal(60, mysql.Value.MonitorSlaveLagWhenNull);
        Assert.Equal([new Credential("admin", "admin"), new Credential("radmin", "radmin")], admin.Value!.AdminCredentials.ToArray());
        Assert.Equal([new ListenEndpoint("127.0.0.1", 6032)], admin.Value.MysqlIfaces.ToArray());
        Assert.Equal(2000, admin.Value.RefreshInterval);
        Assert.False(admin.Value.ReadOnly);
    }

    [Fact]
    public void Full_sample_file_variables_are_valid()
    {
        var variables = ConfigFileReader.ReadText(SampleConfigs.Full).Config.Variables;

        var mysql = MySqlVariables.Parse(variables);

        Assert.True(mysql.Succeeded, string.Join("\n", mysql.Errors));
        Assert.Equal("5.5.30", mysql.Value!.ServerVersion);
        Assert.Equal(3000, mysql.Value.ConnectTimeoutServer);
        Assert.Equal(600_000, mysql.Value.MonitorHistory);
        Assert.Empty(VariableValidation.Validate(variables));
    }

    [Theory]
    [InlineData("caching_sha2_password", "caching_sha2_password")]
    [InlineData("MYSQL_NATIVE_PASSWORD", "mysql_native_password")]
    public void Default_authentication_plugin_is_one_the_proxy_serves(string value, string expected)
    {
        var result = MySqlVariables.Parse(Vars(("mysql-default_authentication_plugin", value)));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Value!.DefaultAuthenticationPlugin);
    }

    [Fact]
    public void Unknown_authentication_plugin_is_refused_by_name()
    {
        var result = MySqlVariables.Parse(Vars(("mysql-default_authentication_plugin", "sha256_password")));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("mysql-default_authentication_plugin", StringComparison.Ordinal) &&
            e.Contains("caching_sha2_password", StringComparison.Ordinal));
    }

    [Fact]
    public void Values_are_typed_from_text()
    {
        var result = MySqlVariables.Parse(Vars(
            ("mysql-interfaces", "0.0.0.0:6033; [::1]:6034;/tmp/proxysql.sock"),
            ("mysql-multiplexing", "FALSE"),
            ("mysql-commands_stats", "0"),
            ("mysql-threads", "16"),
            ("admin-ignored", "not this record's prefix")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(
            [new ListenEndpoint("0.0.0.0", 6033), new ListenEndpoint("::1", 6034), new ListenEndpoint("/tmp/proxysql.sock", 0)],
            result.Value!.Interfaces.ToArray());
        Assert.True(result.Value.Interfaces[2].IsUnixSocket);
        Assert.Equal("[::1]:6034", result.Value.Interfaces[1].ToString());
        Assert.False(result.Value.Multiplexing);
        Assert.False(result.Value.CommandsStats);
        Assert.Equal(16, result.Value.Threads);
    }

    [Fact]
    public void Empty_interfaces_means_the_standard_port()
    {
        var result = MySqlVariables.Parse(Vars(("mysql-interfaces", "")));
        Assert.Equal([new ListenEndpoint("0.0.0.0", 6033)], result.Value!.Interfaces.ToArray());
    }

    [Fact]
    public void Every_bad_value_is_reported()
    {
        var result = MySqlVariables.Parse(Vars(
            ("mysql-connect_timeout_server", "abc"),
            ("mysql-threads", "0"),
            ("mysql-multiplexing", "maybe"),
            ("mysql-interfaces", "nohost"),
            ("mysql-no_such_variable", "1"),
            ("mysql-have_ssl", "yes"),
            ("mysql-long_query_time", "1s")));

        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        Assert.Equal(
        [
            "mysql-connect_timeout_server: 'abc' is not an integer",
            "mysql-have_ssl: 'yes' is not a boolean (true/false)",
            "mysql-interfaces: 'nohost' is not host:port or a socket path",
            "mysql-long_query_time: '1s' is not an integer",
            "mysql-multiplexing: 'maybe' is not a boolean (true/false)",
            "mysql-no_such_variable: unknown variable",
            "mysql-threads: 0 is out of range (1..255)",
        ], result.Errors.ToArray());
    }

    [Fact]
    public void Mirror_events_log_and_query_cache_variables_are_typed_with_proxysqls_ranges()
    {
        var defaults = MySqlVariables.Parse(Vars()).Value!;
        Assert.Equal((16, 32000, "", 104857600, 0, 1), (defaults.MirrorMaxConcurrency, defaults.MirrorMaxQueueLength,
            defaults.EventslogFilename, defaults.EventslogFilesize, defaults.EventslogDefaultLog, defaults.EventslogFormat));
        Assert.Equal((256, 0, 0, true), (defaults.QueryCacheSizeMB, defaults.QueryCacheSoftTtlPct, defaults.QueryCacheHandleWarnings,
            defaults.QueryCacheStoresEmptyResult));

        var result = MySqlVariables.Parse(Vars(
            ("mysql-mirror_max_concurrency", "0"),
            ("mysql-mirror_max_queue_length", "2000000"),
            ("mysql-eventslog_filesize", "1000"),
            ("mysql-eventslog_format", "3"),
            ("mysql-eventslog_default_log", "2"),
            ("mysql-query_cache_soft_ttl_pct", "101"),
            ("mysql-query_cache_handle_warnings", "-1")));

        Assert.Equal(
        [
            "mysql-eventslog_default_log: 2 is out of range (0..1)",
            "mysql-eventslog_filesize: 1000 is out of range (1048576..1073741824)",
            "mysql-eventslog_format: 3 is out of range (1..2)",
            "mysql-mirror_max_concurrency: 0 is out of range (1..8192)",
            "mysql-mirror_max_queue_length: 2000000 is out of range (0..1048576)",
            "mysql-query_cache_handle_warnings: -1 is out of range (0..1)",
            "mysql-query_cache_soft_ttl_pct: 101 is out of range (0..100)",
        ], result.Errors.ToArray());
    }

    [Fact]
    public void Admin_errors_cover_credentials_and_ifaces()
    {
        var result = AdminVariables.Parse(Vars(
            ("admin-admin_credentials", "admin:admin;nopassword"),
            ("admin-mysql_ifaces", ""),
            ("admin-refresh_interval", "10")));

        Assert.Equal(
        [
            "admin-admin_credentials: entry 2 of 2 is not user:password (not shown: it may hold a password)",
            "admin-mysql_ifaces: needs at least one host:port",
            "admin-refresh_interval: 10 is out of range (100..100000)",
        ], result.Errors.ToArray());
    }

    [Fact]
    public void Credentials_keep_colons_in_passwords_and_hide_them_in_text()
    {
        var admin = AdminVariables.Parse(Vars(("admin-admin_credentials", "admin:a:b:c"))).Value!;
        var credential = Assert.Single(admin.AdminCredentials);
        Assert.Equal("a:b:c", credential.Password);
        Assert.DoesNotContain("a:b:c", credential.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_rejects_names_outside_both_modules()
    {
        Assert.Equal(["ldap-foo: unknown variable"], VariableValidation.Validate(Vars(("ldap-foo", "1"), ("mysql-threads", "8"))).ToArray());
    }

    [Theory]
    [InlineData("mysql-threads", VariableChangeEffect.RequiresRestart)]
    [InlineData("mysql-interfaces", VariableChangeEffect.RequiresRestart)]
    [InlineData("mysql-stacksize", VariableChangeEffect.RequiresRestart)]
    [InlineData("ADMIN-MYSQL_IFACES", VariableChangeEffect.Immediate)]
    [InlineData("admin-version", VariableChangeEffect.ReadOnly)]
    [InlineData("mysql-max_connections", VariableChangeEffect.Immediate)]
    public void Liveness_says_what_needs_a_restart(string name, VariableChangeEffect expected)
    {
        Assert.Equal(expected, VariableLiveness.Of(name));
        Assert.Equal(expected == VariableChangeEffect.RequiresRestart, VariableLiveness.RequiresRestart(name));
    }

    [Fact]
    public void Every_restart_variable_exists()
    {
        Assert.All(VariableLiveness.RestartRequired, name => Assert.True(VariableDefaults.IsKnown(name), name));
    }
}
