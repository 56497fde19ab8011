using System.Collections.Immutable;
using System.Globalization;

namespace ProxyLayer.Config;

/// <summary>What a libconfig value is. Integers without an <c>L</c> suffix that fit in 32 bits are <see cref="Integer32"/>.</summary>
public enum LibconfigValueKind
{
    Group,
    List,
    Array,
    Text,
    Integer32,
    Integer64,
    Real,
    Boolean,
}

/// <summary>One named setting of a libconfig file, with where it was written (an <c>@include</c>d file keeps its own name).</summary>
public sealed record LibconfigSetting(string Name, LibconfigValue Value, string File, int Line);

/// <summary>
/// An immutable libconfig value: a scalar, a group of named settings, or a list/array of unnamed values.
/// Only the members that match <see cref="Kind"/> carry data.
/// </summary>
public sealed class LibconfigValue
{
    private LibconfigValue(LibconfigValueKind kind, int line)
    {
        Kind = kind;
        Line = line;
    }

    public LibconfigValueKind Kind { get; }
    public int Line { get; }

    public string? TextValue { get; private init; }
    public long IntegerValue { get; private init; }
    public double RealValue { get; private init; }
    public bool BooleanValue { get; private init; }

    /// <summary>The settings of a group, in file order.</summary>
    public ImmutableArray<LibconfigSetting> Settings { get; private init; } = [];

    /// <summary>The elements of a list or array, in file order.</summary>
    public ImmutableArray<LibconfigValue> Elements { get; private init; } = [];

    public bool IsScalar => Kind is not (LibconfigValueKind.Group or LibconfigValueKind.List or LibconfigValueKind.Array);
    public bool IsInteger => Kind is LibconfigValueKind.Integer32 or LibconfigValueKind.Integer64;

    public static LibconfigValue FromString(string value, int line) => new(LibconfigValueKind.Text, line) { TextValue = value };
    public static LibconfigValue FromInteger(long value, bool is64Bit, int line) =>
        new(is64Bit ? LibconfigValueKind.Integer64 : LibconfigValueKind.Integer32, line) { IntegerValue = value };
    public static LibconfigValue FromFloat(double value, int line) => new(LibconfigValueKind.Real, line) { RealValue = value };
    public static LibconfigValue FromBoolean(bool value, int line) => new(LibconfigValueKind.Boolean, line) { BooleanValue = value };
    public static LibconfigValue FromGroup(ImmutableArray<LibconfigSetting> settings, int line) =>
        new(LibconfigValueKind.Group, line) { Settings = settings };
    public static LibconfigValue FromList(ImmutableArray<LibconfigValue> elements, int line) =>
        new(LibconfigValueKind.List, line) { Elements = elements };
    public static LibconfigValue FromArray(ImmutableArray<LibconfigValue> elements, int line) =>
        new(LibconfigValueKind.Array, line) { Elements = elements };

    /// <summary>A scalar as ProxySQL stores it in a variable: booleans lower-case, numbers invariant; null for aggregates.</summary>
    public string? ToScalarText() => Kind switch
    {
        LibconfigValueKind.Text => TextValue,
        LibconfigValueKind.Integer32 or LibconfigValueKind.Integer64 => IntegerValue.ToString(CultureInfo.InvariantCulture),
        LibconfigValueKind.Real => RealValue.ToString("R", CultureInfo.InvariantCulture),
        LibconfigValueKind.Boolean => BooleanValue ? "true" : "false",
        _ => null,
    };

    /// <summary>A short description for error messages ("integer", "group" …).</summary>
    public string KindName => Kind switch
    {
        LibconfigValueKind.Integer32 or LibconfigValueKind.Integer64 => "integer",
        LibconfigValueKind.Text => "string",
        LibconfigValueKind.Real => "float",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public override string ToString() => ToScalarText() ?? $"{KindName} ({(Kind == LibconfigValueKind.Group ? Settings.Length : Elements.Length)} items)";
}
