namespace ProxyLayer.Tests.Admin;

public sealed class VariableLoadTests
{
    [Fact]
    public void Global_variables_hold_defaults_at_start()
    {
        using var admin = new AdminHarness();
        Assert.Equal("4", admin.Scalar("SELECT variable_value FROM global_variables WHERE variable_name='mysql-threads'"));
        Assert.Equal(ProxyLayer.Config.VariableDefaults.All["admin-admin_credentials"],
            admin.Scalar("SELECT variable_value FROM global_variables WHERE variable_name='admin-admin_credentials'"));
        Assert.Equal(ProxyLayer.Config.VariableDefaults.All.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            admin.Scalar("SELECT COUNT(*) FROM global_variables"));
    }

    [Fact]
    public void Restart_only_variable_loads_with_a_warning_listed_by_show_warnings()
    {
        using var admin = new AdminHarness();
        admin.Ok("LOAD MYSQL VARIABLES TO RUNTIME");
        admin.Ok("SET mysql-threads = 8");

        var ok = admin.Ok("LOAD MYSQL VARIABLES TO RUNTIME");

        var warning = Assert.Single(ok.Warnings);
        Assert.Contains("mysql-threads", warning.Message, StringComparison.Ordinal);
        Assert.Contains("takes effect after restart", warning.Message, StringComparison.Ordinal);
        Assert.Equal("8", admin.Runtime.Current.Variables["mysql-threads"]);
        var shown = admin.Rows("SHOW WARNINGS");
        Assert.Equal(["Level", "Code", "Message"], shown.Columns);
        Assert.Equal(warning.Message, Assert.Single(shown.Values)[2]);
        // SHOW WARNINGS does not clear them; the next statement does.
        Assert.Single(admin.Rows("SHOW WARNINGS").Values);
        admin.Rows("SELECT 1");
        Assert.Empty(admin.Rows("SHOW WARNINGS").Values);
    }

    [Fact]
    public void Runtime_warnings_become_statement_warnings()
    {
        using var admin = new AdminHarness();
        admin.Runtime.WarningsToReport.Add("mysql-monitor_history raised to 10000");
        admin.Ok("LOAD MYSQL VARIABLES TO RUNTIME");
        Assert.Equal(["mysql-monitor_history raised to 10000"], admin.Rows("SHOW WARNINGS").Values.Select(r => r[2]));
    }

    [Fact]
    public void Invalid_variable_fails_load_and_runtime_keeps_its_value()
    {
        using var admin = new AdminHarness();
        admin.Ok("LOAD MYSQL VARIABLES TO RUNTIME");
        admin.Ok("UPDATE global_variables SET variable_value='lots' WHERE variable_name='mysql-threads'");

        var error = admin.Error("LOAD MYSQL VARIABLES TO RUNTIME");

        Assert.Contains("mysql-threads 'lots'", error.Message, StringComparison.Ordinal);
        Assert.Equal("4", admin.Runtime.Current.Variables["mysql-threads"]);
        Assert.Equal("4", admin.Scalar("SELECT variable_value FROM runtime_global_variables WHERE variable_name='mysql-threads'"));
    }

    [Fact]
    public void Admin_variables_load_leaves_mysql_variables_alone()
    {
        using var admin = new AdminHarness();
        admin.Ok("LOAD MYSQL VARIABLES TO RUNTIME");
        admin.Ok("SET mysql-max_connections = 5; SET admin-refresh_interval = 3000");
        admin.Ok("LOAD ADMIN VARIABLES TO RUNTIME");
        Assert.Equal("3000", admin.Runtime.Current.Variables["admin-refresh_interval"]);
        Assert.Equal("10000", admin.Runtime.Current.Variables["mysql-max_connections"]);
    }

    [Fact]
    public void Set_updates_memory_only_and_unknown_names_answer_ok_with_a_message()
    {
        using var admin = new AdminHarness();
        Assert.Equal(1, admin.Ok("SET mysql-init_connect = 'SET  NAMES utf8mb4'").AffectedRows);
        Assert.Equal("SET  NAMES utf8mb4", admin.Scalar("SELECT variable_value FROM global_variables WHERE variable_name='mysql-init_connect'"));

        var unknown = admin.Ok("SET mysql-no_such_thing = 1");
        Assert.Equal("ERROR: Unknown global variable: 'mysql-no_such_thing'.", unknown.Info);
        Assert.Equal(0, unknown.AffectedRows);
        Assert.Equal("0", admin.Scalar("SELECT COUNT(*) FROM global_variables WHERE variable_name='mysql-no_such_thing'"));
    }
}
