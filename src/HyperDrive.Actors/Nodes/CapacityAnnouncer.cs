using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;

namespace HyperDrive.Actors.Nodes;

/// <summary>
/// Runs on every worker node: writes the node's <see cref="NodeAnnouncement"/> (capacity and current leases) into
/// the cluster's distributed data when it starts and after every change of its <see cref="NodeSlots"/>, coalescing
/// the changes of one burst into one write.
/// </summary>
public sealed class CapacityAnnouncer : ReceiveActor
{
    public static readonly LWWDictionaryKey<string, NodeAnnouncement> Key = new("hyperdrive-nodes");

    private readonly NodeSlots _slots;
    private readonly IActorRef _replicator;
    private readonly UniqueAddress _self;
    private readonly Action<System.Collections.Immutable.ImmutableArray<Core.Placement.Lease>> _onChange;
    private int _pending;

    public CapacityAnnouncer(NodeSlots slots)
    {
        _slots = slots;
        var data = DistributedData.Get(Context.System);
        _replicator = data.Replicator;
        _self = Cluster.Get(Context.System).SelfUniqueAddress;
        var self = Self;
        _onChange = _ => self.Tell(Publish.Instance);

        Receive<Publish>(_ =>
        {
            Interlocked.Exchange(ref _pending, 0);
            var slots = _slots;
            var announcement = new NodeAnnouncement(slots.Capacity.NodeId, slots.Capacity.Gpus, slots.Capacity.CpuSlots, slots.Leases);
            _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, NodeAnnouncement>.Empty, WriteLocal.Instance,
                d => d.SetItem(_self, announcement.NodeId, announcement)));
        });
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => Context.GetLogger().Warning("Capacity announcement not written: {0}", f));
    }

    public static Props Props(NodeSlots slots) => Akka.Actor.Props.Create(() => new CapacityAnnouncer(slots));

    protected override void PreStart()
    {
        _slots.Changed += OnChanged;
        Self.Tell(Publish.Instance);
    }

    protected override void PostStop() => _slots.Changed -= OnChanged;

    private void OnChanged(System.Collections.Immutable.ImmutableArray<Core.Placement.Lease> leases)
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _onChange(leases);
        }
    }

    private sealed class Publish
    {
        public static readonly Publish Instance = new();

        private Publish()
        {
        }
    }
}
