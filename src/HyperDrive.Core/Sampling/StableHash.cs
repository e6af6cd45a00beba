using System.Text;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Stable hashing for seeds and ids: the same input gives the same value in every process
/// (unlike <c>string.GetHashCode</c> and <c>HashCode.Combine</c>, which are randomized per process).
/// </summary>
public static class StableHash
{
    /// <summary>Mixes values with the SplitMix64 finalizer, order-sensitive.</summary>
    public static ulong Mix(params ulong[] values)
    {
        var h = 0x243F6A8885A308D3UL;
        foreach (var v in values)
        {
            h = Finalize(h ^ Finalize(v + 0x9E3779B97F4A7C15UL));
        }

        return h;
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes of a string, finalized.</summary>
    public static ulong Of(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h = (h ^ b) * 0x100000001B3UL;
        }

        return Finalize(h);
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
