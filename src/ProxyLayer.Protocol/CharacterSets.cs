namespace ProxyLayer.Protocol;

/// <summary>Collation ids used in handshakes and column definitions.</summary>
public static class CharacterSets
{
    public const byte Utf8GeneralCi = 33;
    public const byte Binary = 63;
    public const byte Utf8Mb4GeneralCi = 45;
}
