using System.Text;
using ProxyLayer.Programs;

namespace ProxyLayer.Tests.Programs;

public class BoundedOutputTests
{
    [Fact]
    public async Task Keeps_the_first_bytes_on_one_line_and_counts_the_rest()
    {
        var output = new BoundedOutput();
        var text = "first line\nsecond\n" + new string('x', 10_000);

        await output.DrainAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(text.Length, output.TotalBytes);
        var shown = output.ToString();
        Assert.StartsWith("first line\\nsecond\\nxxx", shown, StringComparison.Ordinal);
        Assert.EndsWith($"… ({text.Length - BoundedOutput.DefaultLimit} more bytes dropped)", shown, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', shown);
    }

    [Fact]
    public async Task Short_output_is_shown_whole_without_its_final_newline()
    {
        var output = new BoundedOutput();

        await output.DrainAsync(new MemoryStream("ok\n"u8.ToArray()));

        Assert.Equal("ok", output.ToString());
    }
}
