// Compiled by MSBuild (RoslynCodeTaskFactory) from LibTorchSharpPatch.targets, not part of the trainer's assembly.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks version requirements (e.g. GLIBCXX_3.4.32) of 64-bit little-endian ELF files weak (VER_FLG_WEAK in the
/// vna_flags of their Vernaux entry in .gnu.version_r): the loader then accepts a libstdc++ that lacks that version.
/// Writes a file only when a flag changes, so running it twice changes nothing.
/// </summary>
public sealed class WeakenElfVersionNeeds : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string Versions { get; set; } = string.Empty;

    public override bool Execute()
    {
        var versions = new HashSet<string>(Versions.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim()));
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                var weakened = Weaken(bytes, versions);
                if (weakened.Count > 0)
                {
                    // A new file renamed over the old one: never writes through a hard link into another copy
                    // (the NuGet cache's, when an output folder links to it).
                    // The original's time is kept, so the next incremental build sees the file as up to date and
                    // does not copy the unpatched one over it again.
                    var written = File.GetLastWriteTimeUtc(path);
                    var temp = path + ".weaken.tmp";
                    File.WriteAllBytes(temp, bytes);
                    File.SetLastWriteTimeUtc(temp, written);
                    File.Delete(path);
                    File.Move(temp, path);
                    Log.LogMessage(MessageImportance.High, "weakened {0} in {1}", string.Join(", ", weakened), path);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException || e is ArgumentOutOfRangeException)
            {
                Log.LogError("could not patch {0}: {1}", path, e.Message);
            }
        }

        return !Log.HasLoggedErrors;
    }

    private static List<string> Weaken(byte[] b, HashSet<string> versions)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
        {
            throw new FormatException("not a 64-bit little-endian ELF file");
        }

        var shoff = checked((int)U64(b, 0x28));
        var shentsize = U16(b, 0x3A);
        var shnum = U16(b, 0x3C);
        int Section(int i) => shoff + (i * shentsize);
        uint Type(int i) => U32(b, Section(i) + 4);
        int Offset(int i) => checked((int)U64(b, Section(i) + 24));
        int Link(int i) => checked((int)U32(b, Section(i) + 40));

        var weakened = new List<string>();
        var verneed = Enumerable.Range(0, shnum).Where(i => Type(i) == ShtGnuVerneed).ToList();
        if (verneed.Count == 0)
        {
            return weakened;
        }

        var strings = Offset(Link(verneed[0]));
        string Name(uint offset)
        {
            var start = strings + (int)offset;
            var end = Array.IndexOf(b, (byte)0, start);
            return Encoding.ASCII.GetString(b, start, end - start);
        }

        var need = Offset(verneed[0]);
        while (true)
        {
            var count = U16(b, need + 2);
            var aux = need + (int)U32(b, need + 8);
            for (var k = 0; k < count; k++)
            {
                var flags = U16(b, aux + 4);
                var name = Name(U32(b, aux + 8));
                if (versions.Contains(name) && (flags & VerFlgWeak) == 0)
                {
                    var weak = (ushort)(flags | VerFlgWeak);
                    b[aux + 4] = (byte)weak;
                    b[aux + 5] = (byte)(weak >> 8);
                    weakened.Add(name);
                }

                aux += (int)U32(b, aux + 12);
            }

            var next = U32(b, need + 12);
            if (next == 0)
            {
                break;
            }

            need += (int)next;
        }

        return weakened;
    }

    // The task compiles against netstandard2.0 (no BinaryPrimitives): little-endian reads by hand.
    private static ushort U16(byte[] b, int at) => (ushort)(b[at] | (b[at + 1] << 8));

    private static uint U32(byte[] b, int at) => (uint)(U16(b, at) | (U16(b, at + 2) << 16));

    private static ulong U64(byte[] b, int at) => U32(b, at) | ((ulong)U32(b, at + 4) << 32);
}
