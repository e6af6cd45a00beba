using System.Collections.Immutable;

namespace HyperDrive.Core.Placement;

/// <summary>
/// <c>nvidia-smi</c> output that is not one <c>index, name, memory.total</c> line per GPU; <see cref="Lines"/> names
/// every line that could not be read, with its number.
/// </summary>
public sealed class NvidiaSmiFormatException : Exception
{
    public NvidiaSmiFormatException(ImmutableArray<string> lines)
        : base("cannot read the output of nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits: "
            + string.Join("; ", lines))
    {
        Lines = lines;
    }

    public NvidiaSmiFormatException()
        : this([])
    {
    }

    public NvidiaSmiFormatException(string message)
        : base(message)
    {
        Lines = [message];
    }

    public NvidiaSmiFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Lines = [message];
    }

    public ImmutableArray<string> Lines { get; }
}
