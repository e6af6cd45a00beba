using Akka.Actor;

namespace HyperDrive.Actors.Hosting;

/// <summary>A node's id (<c>host:port</c> of its cluster address): the shard id of its trials and the key of its capacity.</summary>
public static class NodeIds
{
    public static string Of(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return FormattableString.Invariant($"{address.Host}:{address.Port}");
    }
}
