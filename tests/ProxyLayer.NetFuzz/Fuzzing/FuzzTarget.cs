using System.Net;

namespace ProxyLayer.NetFuzz.Fuzzing;

/// <summary>One port to attack and an account valid on it, so cases can misbehave after a real login too.</summary>
internal sealed record FuzzTarget(string Name, IPEndPoint Endpoint, string User, string Password);
