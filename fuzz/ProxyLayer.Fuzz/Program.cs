using ProxyLayer.Fuzz;
using SharpFuzz;

// ProxyLayer.Fuzz TARGET            run under afl-fuzz (SharpFuzz's out-of-process protocol)
// ProxyLayer.Fuzz TARGET FILE|DIR…  run the given inputs once each, in process (replays a corpus or a crash)
// ProxyLayer.Fuzz --seeds DIR       write the seed corpus (DIR/TARGET/…)
if (args is ["--seeds", var root])
{
    SeedCorpus.Write(root);
    return 0;
}
if (args.Length == 0 || !DecoderTargets.All.ContainsKey(args[0]))
{
    Console.Error.WriteLine($"usage: ProxyLayer.Fuzz <{string.Join('|', DecoderTargets.All.Keys)}> [input files or directories]");
    return 2;
}
var target = args[0];
if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        DecoderTargets.Run(target, memory.ToArray());
    });
    return 0;
}
var files = args.Skip(1).SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : [path]).ToList();
foreach (var file in files)
    DecoderTargets.Run(target, File.ReadAllBytes(file));
Console.WriteLine($"{target}: {files.Count} inputs replayed, no crash");
return 0;
