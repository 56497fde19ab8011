using ProxyLayer.Config;

namespace ProxyLayer.Tests.Config;

public class LibconfigParserTests
{
    private static LibconfigValue Single(string text) => Assert.Single(LibconfigParser.ParseText(text)).Value;

    [Theory]
    [InlineData("a = 1")]
    [InlineData("a: 1")]
    [InlineData("a = 1;")]
    [InlineData("a = 1,")]
    [InlineData("  a=1  ;  ")]
    public void Setting_separators_and_terminators_are_optional(string text)
    {
        var setting = Assert.Single(LibconfigParser.ParseText(text));
        Assert.Equal("a", setting.Name);
        Assert.Equal(1, setting.Value.IntegerValue);
    }

    [Fact]
    public void Strings_decode_escapes_and_join_adjacent_literals()
    {
        var value = Single("s = \"a\\\"b\\\\c\\n\\t\\x41\" \"-more\"\n  \"-and more\";");
        Assert.Equal(LibconfigValueKind.Text, value.Kind);
        Assert.Equal("a\"b\\c\n\tA-more-and more", value.TextValue);
    }

    [Theory]
    [InlineData("42", 42L, LibconfigValueKind.Integer32)]
    [InlineData("-7", -7L, LibconfigValueKind.Integer32)]
    [InlineData("0x1F", 31L, LibconfigValueKind.Integer32)]
    [InlineData("5L", 5L, LibconfigValueKind.Integer64)]
    [InlineData("9000000000", 9000000000L, LibconfigValueKind.Integer64)]
    [InlineData("0x100000000L", 4294967296L, LibconfigValueKind.Integer64)]
    public void Integers(string literal, long expected, LibconfigValueKind kind)
    {
        var value = Single($"n = {literal}");
        Assert.Equal(kind, value.Kind);
        Assert.Equal(expected, value.IntegerValue);
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData("1e3", 1000.0)]
    [InlineData(".5", 0.5)]
    public void Floats(string literal, double expected)
    {
        var value = Single($"f = {literal}");
        Assert.Equal(LibconfigValueKind.Real, value.Kind);
        Assert.Equal(expected, value.RealValue);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("False", false)]
    public void Booleans_ignore_case(string literal, bool expected)
    {
        var value = Single($"b = {literal}");
        Assert.Equal(LibconfigValueKind.Boolean, value.Kind);
        Assert.Equal(expected, value.BooleanValue);
        Assert.Equal(expected ? "true" : "false", value.ToScalarText());
    }

    [Fact]
    public void Comments_of_all_three_kinds_are_skipped()
    {
        var settings = LibconfigParser.ParseText("""
            # hash comment
            a = 1 // line comment
            /* block
               comment */ b = /* inline */ 2
            """);
        Assert.Equal(["a", "b"], settings.Select(s => s.Name));
        Assert.Equal(4, settings[1].Line);
    }

    [Fact]
    public void Groups_lists_and_arrays_nest()
    {
        var settings = LibconfigParser.ParseText("""
            group = { inner = { x = 1; }; y = "z" };
            list = ( { a = 1 }, { a = 2 }, 3, "four", ( 5 ) );
            array = [ 1, 2, 3 ];
            empty_list = ();
            empty_array = [];
            trailing = ( { a = 1 }, );
            """);
        var group = settings[0].Value;
        Assert.Equal(LibconfigValueKind.Group, group.Kind);
        Assert.Equal(1, group.Settings[0].Value.Settings[0].Value.IntegerValue);
        var list = settings[1].Value;
        Assert.Equal(LibconfigValueKind.List, list.Kind);
        Assert.Equal(5, list.Elements.Length);
        Assert.Equal(LibconfigValueKind.List, list.Elements[4].Kind);
        Assert.Equal([1L, 2L, 3L], settings[2].Value.Elements.Select(e => e.IntegerValue));
        Assert.Empty(settings[3].Value.Elements);
        Assert.Empty(settings[4].Value.Elements);
        Assert.Single(settings[5].Value.Elements);
    }

    [Fact]
    public void Lines_are_recorded_for_settings_and_values()
    {
        var settings = LibconfigParser.ParseText("a = 1\n\nlist = (\n  {\n    x = 1\n  }\n)\n");
        Assert.Equal(1, settings[0].Line);
        Assert.Equal(3, settings[1].Line);
        Assert.Equal(4, settings[1].Value.Elements[0].Line);
        Assert.Equal(5, settings[1].Value.Elements[0].Settings[0].Line);
    }

    [Fact]
    public void Include_is_relative_to_the_including_file()
    {
        string dir = Directory.CreateTempSubdirectory("libconfig").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "conf.d"));
            File.WriteAllText(Path.Combine(dir, "main.cnf"), "a = 1\n@include \"conf.d/part.cnf\"\nc = 3\n");
            File.WriteAllText(Path.Combine(dir, "conf.d", "part.cnf"), "@include \"leaf.cnf\"\nb = { x = 2 }\n");
            File.WriteAllText(Path.Combine(dir, "conf.d", "leaf.cnf"), "leaf = true\n");

            var settings = LibconfigParser.ParseFile(Path.Combine(dir, "main.cnf"));

            Assert.Equal(["a", "leaf", "b", "c"], settings.Select(s => s.Name));
            Assert.EndsWith("part.cnf", settings[2].File, StringComparison.Ordinal);
            Assert.Equal(2, settings[2].Line);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Missing_include_names_the_including_line()
    {
        var error = Assert.Throws<ConfigFileException>(() => LibconfigParser.ParseText("a = 1\n@include \"no-such-file.cnf\"\n", "/tmp/x/proxysql.cnf"));
        Assert.StartsWith("/tmp/x/proxysql.cnf:2:1: cannot read included file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 1\nb {\n", "proxysql.cnf:2:3: expected '=' or ':' after setting name, found '{'")]
    [InlineData("a = ;", "proxysql.cnf:1:5: expected a value, found ';'")]
    [InlineData("a = { b = 1", "proxysql.cnf:1:12: expected '}' to close the group, found end of file")]
    [InlineData("a = ( 1 2 )", "proxysql.cnf:1:9: expected ',' or ')', found number 2")]
    [InlineData("a = [ { } ]", "proxysql.cnf:1:7: expected a scalar value or ']', found '{'")]
    [InlineData("x = 1\n  a = \"open", "proxysql.cnf:2:7: expected '\"' to close the string, found end of file")]
    [InlineData("/* never closed", "proxysql.cnf:1:1: expected '*/' to close the comment, found end of file")]
    [InlineData("a = 1\na = 2", "proxysql.cnf:2:1: expected a setting name not used before in this group, found duplicate 'a'")]
    [InlineData("a = $", "proxysql.cnf:1:5: expected a setting name, value or punctuation, found '$'")]
    [InlineData("a = 12abc", "proxysql.cnf:1:5: expected a number, found '12abc'")]
    [InlineData("a = \"bad \\q\"", "proxysql.cnf:1:10: expected an escape (\\\" \\\\ \\n \\r \\t \\f \\xNN), found '\\q'")]
    [InlineData("= 1", "proxysql.cnf:1:1: expected a setting name, found '='")]
    [InlineData("@include 5", "proxysql.cnf:1:10: expected a quoted file name after @include, found number 5")]
    public void Syntax_errors_name_file_line_column_expected_and_found(string text, string message)
    {
        var error = Assert.Throws<ConfigFileException>(() => LibconfigParser.ParseText(text, "proxysql.cnf"));
        Assert.Equal(message, error.Message);
    }
}
