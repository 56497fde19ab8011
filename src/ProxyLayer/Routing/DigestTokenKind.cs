namespace ProxyLayer.Routing;

/// <summary>What the digest writer last emitted; spacing, unary signs and grouping depend on it.</summary>
internal enum DigestTokenKind : byte
{
    None,
    Word,
    Literal,
    OpenParen,
    CloseParen,
    Comma,
    Operator,
    Other,
}
