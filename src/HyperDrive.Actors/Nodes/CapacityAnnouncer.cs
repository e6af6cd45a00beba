using Akka;
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
    private bool _draining;
    private IActorRef? _drainRequester;

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
            Write(WriteLocal.Instance);
        });
        Receive<Drain>(_ =>
        {
            // Leaving: say so to every node at once (not at the next gossip), so coordinators move the trials now.
            _draining = true;
            _drainRequester = Sender;
            Write(new WriteAll(TimeSpan.FromSeconds(1)));
        });
        Receive<UpdateSuccess>(_ => ReplyDrained());
        Receive<IUpdateFailure>(f =>
        {
            Context.GetLogger().Warning("Capacity announcement not written: {0}", f);
            ReplyDrained();
        });
    }

    public static Props Props(NodeSlots slots) => Akka.Actor.Props.Create(() => new CapacityAnnouncer(slots));

    private void Write(IWriteConsistency consistency)
    {
        var announcement = new NodeAnnouncement(_slots.Capacity.NodeId, _slots.Capacity.Gpus, _slots.Capacity.CpuSlots, _slots.Leases, _draining);
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, NodeAnnouncement>.Empty, consistency,
            d => d.SetItem(_self, announcement.NodeId, announcement)));
    }

    private void ReplyDrained()
    {
        if (_draining && _drainRequester is { } requester)
        {
            requester.Tell(Done.Instance);
            _drainRequester = null;
        }
    }

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

    /// <summary>Announce that this node is leaving; answered with <see cref="Done"/> once every node has it (or after a second).</summary>
    public sealed class Drain
    {
        public static readonly Drain Instance = new();

        private Drain()
        {
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
