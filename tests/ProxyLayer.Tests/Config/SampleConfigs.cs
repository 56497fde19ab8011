namespace ProxyLayer.Tests.Config;

/// <summary>Config files used by several tests: the spec's sample and a full production-style file.</summary>
internal static class SampleConfigs
{
    public const string SpecSample = """
        datadir="/var/lib/proxysql"
        admin_variables = { admin_credentials="admin:admin"  mysql_ifaces="0.0.0.0:6032" }
        mysql_variables = { threads=4  max_connections=2048  interfaces="0.0.0.0:6033"  monitor_username="monitor" }
        mysql_servers = ( { address="10.0.0.1", port=3306, hostgroup=10 }, { address="10.0.0.2", port=3306, hostgroup=20 } )
        mysql_replication_hostgroups = ( { writer_hostgroup=10, reader_hostgroup=20, comment="repl" } )
        """;

    public const string Full = """
        # ProxySQL-style configuration, as packaged and then edited by hand
        datadir="/var/lib/proxysql"
        errorlog="/var/lib/proxysql/proxysql.log"

        admin_variables=
        {
            admin_credentials="admin:admin;radmin:radmin"
            mysql_ifaces="0.0.0.0:6032"
            refresh_interval=2000
        }

        mysql_variables=
        {
            threads=4
            max_connections=2048
            default_query_delay=0
            default_query_timeout=36000000
            have_compress=true
            poll_timeout=2000
            interfaces="0.0.0.0:6033"
            default_schema="information_schema"
            stacksize=1048576
            server_version="5.5.30"
            connect_timeout_server=3000
            monitor_username="monitor"
            monitor_password="monitor"
            monitor_history=600000
            monitor_connect_interval=60000
            monitor_ping_interval=10000
            monitor_read_only_interval=1500
            monitor_read_only_timeout=500
            ping_interval_server_msec=120000
            ping_timeout_server=500
            commands_stats=true
            sessions_sort=true
            connect_retries_on_failure=10
        }

        mysql_servers =
        (
            {
                address = "127.0.0.1"
                port = 3306
                hostgroup = 0
                status = "ONLINE"
                weight = 1
                compression = 0
                max_replication_lag = 10
            },
            {
                hostname = "10.0.0.2"
                port = 3307
                hostgroup_id = 1
                max_connections = 200
                use_ssl = 1
                comment = "replica"
            }
        )

        mysql_users:
        (
            {
                username = "app"
                password = "secret"
                default_hostgroup = 0
                max_connections = 1000
                default_schema = "shop"
                active = 1
            },
            { username = "reporting", password = "r3p", default_hostgroup = 1, transaction_persistent = 0 }
        )

        mysql_query_rules:
        (
            {
                rule_id=1
                active=1
                match_pattern="^SELECT .* FOR UPDATE$"
                destination_hostgroup=0
                apply=1
            },
            {
                rule_id=2
                active=1
                match_digest="^SELECT"
                negate_match_pattern=0
                re_modifiers="CASELESS,GLOBAL"
                flagIN=0
                flagOUT=5
                destination_hostgroup=1
            },
            { rule_id=3, active=1, username="app", match_pattern="^DROP", error_msg="DROP is not allowed", apply=1 }
        )

        scheduler=
        (
        )

        mysql_replication_hostgroups=
        (
            { writer_hostgroup=0, reader_hostgroup=1, check_type="read_only", comment="cluster1" }
        )
        """;
}
