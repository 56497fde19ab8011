using Microsoft.Data.Sqlite;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// Carries out LOAD/SAVE between RUNTIME, MEMORY, DISK and CONFIG (spec §2.2). Table moves between MEMORY and DISK
/// are replace-all; variable moves and CONFIG → MEMORY merge. A move to RUNTIME goes through
/// <see cref="IRuntimeConfig.Apply"/>: on errors nothing changes anywhere.
/// </summary>
internal sealed class LayerMover(AdminStore store, IRuntimeConfig runtime, IAdminClusterHooks? cluster = null)
{
    public AdminResult Move(AdminModule module, LayerMove direction)
    {
        var definition = ModuleDefinition.Of(module);
        return direction switch
        {
            LayerMove.MemoryToRuntime => LoadToRuntime(definition),
            LayerMove.RuntimeToMemory => SaveToMemory(definition),
            LayerMove.DiskToMemory => CopyBetweenMemoryAndDisk(definition, "disk.", "main."),
            LayerMove.MemoryToDisk => CopyBetweenMemoryAndDisk(definition, "main.", "disk."),
            LayerMove.ConfigToMemory => LoadFromConfig(definition),
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
        };
    }

    /// <summary>Start-up's "load all modules to RUNTIME" (spec §3 step 6): one candidate, one Apply.</summary>
    public RuntimeApplyResult LoadAllToRuntime() => store.Run(connection =>
    {
        var candidate = runtime.Current;
        foreach (var module in ModuleDefinition.Every)
            candidate = ModuleParts.ReadInto(connection, "main.", module, candidate, activeRulesOnly: true);
        var result = runtime.Apply(candidate);
        if (result.Succeeded)
        {
            store.InTransaction(c => CopyShadowTables(c, ModuleDefinition.Every, "main.", "main.runtime_"));
            foreach (var module in ModuleDefinition.Every)
                cluster?.Loaded(connection, module.Module, origin: null);
        }
        return result;
    });

    /// <summary>
    /// A cluster sync: <paramref name="fillMemory"/> replaces the module's MEMORY rows with a peer's, then the module
    /// is loaded to RUNTIME. All or nothing: if the load is refused, MEMORY is rolled back too.
    /// </summary>
    /// <param name="atRuntime">What the runtime runs instead of MEMORY's rows, if anything (a peer's runtime servers).</param>
    public AdminResult ReplaceAndLoad(AdminModule module, Action<SqliteConnection> fillMemory, object origin,
        Func<ProxyConfig, ProxyConfig>? atRuntime = null)
    {
        try
        {
            return store.InTransaction<AdminResult>(connection =>
            {
                fillMemory(connection);
                var result = LoadToRuntime(ModuleDefinition.Of(module), origin, atRuntime);
                return result is AdminResult.Error error ? throw new RefusedLoadException(error) : result;
            });
        }
        catch (RefusedLoadException refused)
        {
            return refused.Error;
        }
        catch (Exception e)
        {
            // A peer's rows that the admin tables reject (a CHECK, an unknown column): nothing was applied.
            return AdminResult.Error.Admin(e.Message);
        }
    }

    private sealed class RefusedLoadException(AdminResult.Error error) : Exception(error.Message)
    {
        public AdminResult.Error Error => error;
    }

    private AdminResult LoadToRuntime(ModuleDefinition module, object? origin = null, Func<ProxyConfig, ProxyConfig>? atRuntime = null) => store.Run<AdminResult>(connection =>
    {
        var current = runtime.Current;
        var candidate = ModuleParts.ReadInto(connection, "main.", module, current, activeRulesOnly: true);
        candidate = atRuntime?.Invoke(candidate) ?? candidate;
        var hashed = module.Module == AdminModule.MysqlUsers && HashedPasswords(candidate) is { } users ? candidate with { Users = users } : null;
        candidate = hashed ?? candidate;
        var warnings = new List<string>();
        if (!ReferenceEquals(candidate, current))
        {
            var result = runtime.Apply(candidate);
            if (!result.Succeeded)
                return AdminResult.Error.Admin($"LOAD {module.Name} TO RUNTIME failed, runtime unchanged: {string.Join("; ", result.Errors)}");
            warnings.AddRange(result.Warnings);
            warnings.AddRange(RestartOnlyChanges(module, current, candidate));
        }
        store.InTransaction(c =>
        {
            // admin-hash_passwords: the clear text leaves MEMORY too, so SAVE … TO DISK and SAVE CONFIG TO FILE never see it.
            if (hashed is not null)
                ModuleParts.Write(c, "main.", module, hashed, merge: false);
            CopyShadowTables(c, [module], "main.", "main.runtime_");
        });
        cluster?.Loaded(connection, module.Module, origin);
        return new AdminResult.Ok(0, null, [.. warnings.Distinct().Select(AdminWarning.Of)]);
    });

    /// <summary>The users with clear-text passwords hashed, when <c>admin-hash_passwords</c> is on and there is one to hash; else null.</summary>
    private static System.Collections.Immutable.ImmutableArray<UserConfig>? HashedPasswords(ProxyConfig candidate)
    {
        if (AdminVariables.Parse(candidate.Variables).Value is not { HashPasswords: true })
            return null;
        var plugin = MySqlVariables.Parse(candidate.Variables).Value?.DefaultAuthenticationPlugin ?? Protocol.AuthPlugins.MysqlNativePassword;
        var users = PasswordHashing.HashClearText(candidate.Users, plugin);
        return users.SequenceEqual(candidate.Users) ? null : users;
    }

    private AdminResult SaveToMemory(ModuleDefinition module) => store.InTransaction<AdminResult>(connection =>
    {
        var current = runtime.Current;
        var live = current with { Users = RuntimeUsers.Split(current.Users) };
        ModuleParts.Write(connection, "main.", module, live, merge: module.VariablePrefix is not null);
        CopyShadowTables(connection, [module], "main.runtime_", "main.");
        return new AdminResult.Ok();
    });

    private AdminResult CopyBetweenMemoryAndDisk(ModuleDefinition module, string from, string to) => store.InTransaction<AdminResult>(connection =>
    {
        CopyModule(connection, module, from, to);
        return new AdminResult.Ok();
    });

    /// <summary>The affected-row count of LOAD … FROM CONFIG is the number of rows read from the file.</summary>
    private AdminResult LoadFromConfig(ModuleDefinition module)
    {
        if (store.ConfigFile is not { } configFile)
            return AdminResult.Error.Admin("no config file: the proxy was started without one, so LOAD … FROM CONFIG has nothing to read");
        ProxyConfig content;
        try
        {
            content = configFile.Read();
        }
        catch (Exception e) when (e is ConfigFileException or IOException or UnauthorizedAccessException)
        {
            return AdminResult.Error.Admin($"cannot read config file {configFile.Path}: {e.Message}");
        }
        var rows = store.InTransaction(connection => ModuleParts.Write(connection, "main.", module, content, merge: true));
        return new AdminResult.Ok(rows);
    }

    /// <summary>Copies every table (or variable row) of <paramref name="module"/>; tables replace-all, variables merge.</summary>
    internal static void CopyModule(SqliteConnection connection, ModuleDefinition module, string from, string to)
    {
        if (module.VariablePrefix is { } prefix)
            AdminStore.CopyRows(connection, from + "global_variables", to + "global_variables", replaceAll: false,
                $"WHERE variable_name LIKE '{prefix}%'");
        foreach (var table in module.Tables)
            AdminStore.CopyRows(connection, from + table, to + table, replaceAll: true);
    }

    private static void CopyShadowTables(SqliteConnection connection, IEnumerable<ModuleDefinition> modules, string from, string to)
    {
        foreach (var table in modules.SelectMany(m => m.ShadowTables))
            AdminStore.CopyRows(connection, from + table, to + table, replaceAll: true);
    }

    /// <summary>Names the variables whose new value is stored but only used after a restart (spec §2.2).</summary>
    private static IEnumerable<string> RestartOnlyChanges(ModuleDefinition module, ProxyConfig current, ProxyConfig candidate)
    {
        if (module.VariablePrefix is null)
            yield break;
        foreach (var name in VariableLiveness.RestartRequired)
        {
            if (current.Variables.TryGetValue(name, out var before) &&
                candidate.Variables.TryGetValue(name, out var after) &&
                !string.Equals(before, after, StringComparison.Ordinal))
                yield return $"{name} changed from '{before}' to '{after}': it takes effect after restart";
        }
    }
}
