using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using HyperDrive.Actors.Hosting;

namespace HyperDrive.Actors.Nodes;

/// <summary>
/// One per coordinator node: joins the workers' capacity announcements (distributed data) with cluster membership
/// and tells the node's sweep coordinators which workers are live and which were lost. A worker counts as lost as
/// soon as the failure detector marks it unreachable (or it leaves): the coordinators re-place its trials at once
/// rather than waiting for the split-brain resolver to down it and for shard rebalancing (DESIGN §5).
/// </summary>
public sealed class NodeDirectory : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly Dictionary<string, Member> _workers = [];
    private readonly HashSet<string> _unreachable = [];
    private readonly HashSet<string> _lost = [];
    private readonly HashSet<string> _draining = [];
    private ImmutableDictionary<string, NodeAnnouncement> _announced = ImmutableDictionary<string, NodeAnnouncement>.Empty;
    private ClusterNodes _current = ClusterNodes.None;
    private IActorRef? _trials;
    private bool _selfGoing;

    public NodeDirectory()
    {
        Receive<SubscribeToNodes>(s =>
        {
            _subscribers.Add(s.Subscriber);
            Context.Watch(s.Subscriber);
            s.Subscriber.Tell(_current);
        });
        Receive<GetClusterNodes>(_ => Sender.Tell(_current));
        Receive<UseTrialRegion>(use =>
        {
            _trials = use.Region;
            foreach (var id in _workers.Keys)
            {
                _trials.Tell(new Trials.WarmShard(id));
            }
        });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<Changed>(c =>
        {
            _announced = c.Get(CapacityAnnouncer.Key).Entries.ToImmutableDictionary();
            foreach (var leaving in _announced.Values.Where(a => a.Draining && _workers.ContainsKey(a.NodeId) && !_lost.Contains(a.NodeId)))
            {
                _lost.Add(leaving.NodeId);
                _draining.Add(leaving.NodeId);
                _log.Info("Worker node {0} is leaving: its trials are placed again on other nodes", leaving.NodeId);
            }

            // A new incarnation on the same address replaced a stale "leaving" entry with its own announcement.
            foreach (var back in _announced.Values.Where(a => !a.Draining && _draining.Contains(a.NodeId)).ToList())
            {
                _draining.Remove(back.NodeId);
                _lost.Remove(back.NodeId);
            }

            Publish();
        });
        Receive<ClusterEvent.MemberUp>(e => Up(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Up(e.Member));
        Receive<ClusterEvent.UnreachableMember>(e => Lose(e.Member, "unreachable", removed: false));
        Receive<ClusterEvent.ReachableMember>(e =>
        {
            var id = NodeIds.Of(e.Member.Address);
            if (_unreachable.Remove(id))
            {
                _lost.Remove(id);
                _log.Info("Worker node {0} is reachable again", id);
                Publish();
            }
        });
        Receive<ClusterEvent.MemberLeft>(e => Lose(e.Member, "left the cluster", removed: false));
        Receive<ClusterEvent.MemberExited>(e => Lose(e.Member, "left the cluster", removed: false));
        Receive<ClusterEvent.MemberDowned>(e => Lose(e.Member, "was downed", removed: false));
        Receive<ClusterEvent.MemberRemoved>(e => Lose(e.Member, "was removed from the cluster", removed: true));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new NodeDirectory());

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        DistributedData.Get(Context.System).Replicator.Tell(Dsl.Subscribe(CapacityAnnouncer.Key, Self));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Up(Member member)
    {
        if (!member.HasRole("worker"))
        {
            return;
        }

        var id = NodeIds.Of(member.Address);
        if (_workers.TryGetValue(id, out var known) && known.UniqueAddress == member.UniqueAddress)
        {
            return;
        }

        _workers[id] = member;
        if (_announced.TryGetValue(id, out var stale) && stale.Draining)
        {
            // A new incarnation on the same address: its old "leaving" entry is replaced by its first announcement.
            _announced = _announced.Remove(id);
        }

        if (!_draining.Contains(id) || !_announced.TryGetValue(id, out var entry) || !entry.Draining)
        {
            _lost.Remove(id);
            _draining.Remove(id);
        }

        _unreachable.Remove(id);
        _trials?.Tell(new Trials.WarmShard(id));
        _log.Info("Worker node {0} is up", id);
        Publish();
    }

    private void Lose(Member member, string how, bool removed)
    {
        if (member.UniqueAddress == _cluster.SelfUniqueAddress)
        {
            // Seen in this actor's own event stream, so before any removal of others that follows from it.
            _selfGoing = true;
            return;
        }

        if (!member.HasRole("worker") || SelfIsGoing())
        {
            return;
        }

        var id = NodeIds.Of(member.Address);
        if (!_workers.TryGetValue(id, out var known) || known.UniqueAddress != member.UniqueAddress)
        {
            return;
        }

        var first = _lost.Add(id);
        if (!removed && how == "unreachable")
        {
            _unreachable.Add(id);
        }

        if (removed)
        {
            _workers.Remove(id);
        }

        if (first)
        {
            _log.Warning("Worker node {0} {1}: its trials are placed again on other nodes", id, how);
            Publish();
        }
    }

    /// <summary>
    /// This node was downed, is leaving or has left: the other members it now sees vanish (a downed node's last gossip
    /// removes everyone) are not lost to the cluster, and re-placing their trials from here would journal restarts that
    /// the surviving coordinator then replays as lost attempts.
    /// </summary>
    private bool SelfIsGoing() =>
        _selfGoing || _cluster.IsTerminated || _cluster.SelfMember.Status is MemberStatus.Down or MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Removed;

    private void Publish()
    {
        var live = _workers.Keys
            .Where(id => !_lost.Contains(id) && _announced.ContainsKey(id))
            .OrderBy(id => id, StringComparer.Ordinal)
            .Select(id => _announced[id].Capacity)
            .ToImmutableArray();
        var leases = _announced.Values.Where(a => !_lost.Contains(a.NodeId)).SelectMany(a => a.Leases).ToImmutableArray();
        var next = new ClusterNodes(live, leases, [.. _lost]);
        _current = next;
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(next);
        }
    }
}
