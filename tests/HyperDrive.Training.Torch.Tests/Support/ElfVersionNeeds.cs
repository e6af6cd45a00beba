using System.Buffers.Binary;
using System.Text;

namespace HyperDrive.Training.Torch.Tests.Support;

/// <summary>Reads the version requirements (.gnu.version_r) of a 64-bit little-endian ELF file: library, version, flags.</summary>
internal static class ElfVersionNeeds
{
    public const ushort Weak = 0x2;

    public static List<(string Library, string Version, ushort Flags)> Read(string path)
    {
        var b = File.ReadAllBytes(path);
        Assert.True(b.AsSpan(0, 4).SequenceEqual(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }), path + " is not an ELF file");
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(0x28));
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(0x3A));
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(0x3C));
        var sections = Enumerable.Range(0, shnum).Select(i => b.AsSpan(shoff + (i * shentsize), shentsize).ToArray()).ToList();
        var verneed = sections.Single(s => BinaryPrimitives.ReadUInt32LittleEndian(s.AsSpan(4)) == 0x6ffffffe);
        var strtab = sections[(int)BinaryPrimitives.ReadUInt32LittleEndian(verneed.AsSpan(40))];
        var strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(strtab.AsSpan(24));
        string Name(uint offset)
        {
            var start = strings + (int)offset;
            return Encoding.ASCII.GetString(b, start, Array.IndexOf(b, (byte)0, start) - start);
        }

        var result = new List<(string, string, ushort)>();
        var entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(verneed.AsSpan(44)); // sh_info: the number of Verneed entries
        var need = (int)BinaryPrimitives.ReadUInt64LittleEndian(verneed.AsSpan(24));
        for (var n = 0; n < entries; n++)
        {
            var library = Name(BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(need + 4)));
            var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(need + 8));
            for (var k = 0; k < BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(need + 2)); k++)
            {
                result.Add((library, Name(BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(aux + 8))), BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(aux + 4))));
                aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(aux + 12));
            }

            need += (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(need + 12));
        }

        return result;
    }
}
