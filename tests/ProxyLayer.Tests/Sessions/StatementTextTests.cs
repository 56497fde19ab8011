using System.Text;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class StatementTextTests
{
    [Fact]
    public void Decodes_utf8_and_makes_one_string_on_demand()
    {
        var text = new StatementText();
        text.Decode(Encoding.UTF8.GetBytes("SELECT 'héllo ✓'"));
        Assert.True(text.IsSet);
        Assert.Equal("SELECT 'héllo ✓'", text.Span.ToString());
        var first = text.ToString();
        Assert.Same(first, text.ToString());
        Assert.Equal("SELECT 'héllo ✓'", text.Snapshot());
    }

    [Fact]
    public void Release_empties_it_and_the_next_decode_replaces_the_text()
    {
        var text = new StatementText();
        text.Decode("SELECT 1"u8);
        var before = text.ToString();
        text.Release();
        Assert.False(text.IsSet);
        Assert.Equal(0, text.Span.Length);
        Assert.Null(text.Snapshot());
        text.Release();

        text.Decode("SELECT 22"u8);
        Assert.Equal("SELECT 22", text.ToString());
        Assert.NotSame(before, text.ToString());
    }

    [Fact]
    public void Empty_and_long_statements_decode()
    {
        var text = new StatementText();
        text.Decode(ReadOnlySpan<byte>.Empty);
        Assert.Equal("", text.ToString());
        var big = "SELECT '" + new string('x', 100_000) + "'";
        text.Decode(Encoding.UTF8.GetBytes(big));
        Assert.Equal(big, text.Snapshot());
    }

    [Fact]
    public async Task A_reader_on_another_thread_sees_a_whole_statement_or_none()
    {
        var text = new StatementText();
        var statements = Enumerable.Range(0, 16).Select(i => Encoding.UTF8.GetBytes($"SELECT {new string((char)('a' + i), 20 + i)}")).ToArray();
        var expected = statements.Select(Encoding.UTF8.GetString).ToHashSet();
        var seen = 0;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        // The writer holds each text a moment, as a session does while its statement runs, until the reader has
        // caught enough of them (or time is up: then the assertion below says so).
        var writer = Task.Run(() =>
        {
            for (var i = 0; Volatile.Read(ref seen) < 200 && DateTime.UtcNow < deadline; i++)
            {
                text.Decode(statements[i % statements.Length]);
                Thread.SpinWait(50);
                if (i % 3 == 0)
                    text.Release();
            }
        });
        while (!writer.IsCompleted)
        {
            if (text.Snapshot() is { } copy)
            {
                Assert.Contains(copy, expected);
                Interlocked.Increment(ref seen);
            }
        }
        await writer;
        Assert.True(seen > 0, "the reader never caught a statement");
    }
}
