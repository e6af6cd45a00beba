using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using HyperDrive.Actors.Sweeps;

namespace HyperDrive.Actors.Serialization;

/// <summary>
/// The one serializer for HyperDrive's events and cross-node messages: UTF-8 JSON of each record's own
/// properties under a short, versioned manifest. A manifest is never reused for another shape: a changed
/// record gets a new <c>.v2</c> manifest and this class keeps reading <c>.v1</c>, so old journals replay.
/// Golden-bytes tests pin every manifest's bytes.
/// </summary>
public sealed class HyperDriveSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4101;

    private static readonly FrozenDictionary<string, Type> TypesByManifest = new Dictionary<string, Type>
    {
        [Manifests.SweepSubmitted] = typeof(SweepSubmitted),
        [Manifests.TrialProposed] = typeof(TrialProposed),
        [Manifests.TrialStarted] = typeof(TrialStarted),
        [Manifests.MetricsReported] = typeof(MetricsReported),
        [Manifests.IntervalsReported] = typeof(IntervalsReported),
        [Manifests.TrialStopRequested] = typeof(TrialStopRequested),
        [Manifests.TrialCompleted] = typeof(TrialCompleted),
        [Manifests.TrialFailed] = typeof(TrialFailed),
        [Manifests.TrialCanceled] = typeof(TrialCanceled),
        [Manifests.SweepCompleted] = typeof(SweepCompleted),
        [Manifests.SweepCanceled] = typeof(SweepCanceled),
        [Manifests.SweepFailed] = typeof(SweepFailed),
        [Manifests.SweepSnapshot] = typeof(SweepSnapshot),
        [Manifests.TrialRequeued] = typeof(TrialRequeued),
        [Manifests.WarmStartLoaded] = typeof(WarmStartLoaded),
        [Manifests.SamplerStateSaved] = typeof(SamplerStateSaved),

        // Messages between nodes (never persisted: their manifests may change with a rolling upgrade's care).
        [Manifests.SubmitSweep] = typeof(SubmitSweep),
        [Manifests.SweepAccepted] = typeof(SweepAccepted),
        [Manifests.SweepRejected] = typeof(SweepRejected),
        [Manifests.ResumeSweep] = typeof(ResumeSweep),
        [Manifests.CancelSweep] = typeof(CancelSweep),
        [Manifests.GetSweepState] = typeof(GetSweepState),
        [Manifests.SweepStateReply] = typeof(SweepStateReply),
        [Manifests.SubscribeToSweep] = typeof(SubscribeToSweep),
        [Manifests.SweepChanged] = typeof(SweepChanged),
        [Manifests.TrialAttemptStarted] = typeof(TrialAttemptStarted),
        [Manifests.TrialIntervalsReported] = typeof(TrialIntervalsReported),
        [Manifests.TrialMetricRejected] = typeof(TrialMetricRejected),
        [Manifests.TrialAttemptEnded] = typeof(TrialAttemptEnded),
        [Manifests.StartTrial] = typeof(Trials.StartTrial),
        [Manifests.StopTrial] = typeof(Trials.StopTrial),
        [Manifests.TrialActorStatus] = typeof(Trials.TrialActorStatus),
        [Manifests.NodeAnnouncement] = typeof(Nodes.NodeAnnouncement),
        [Manifests.ProbeAttempt] = typeof(Trials.ProbeAttempt),
        [Manifests.TrialAttemptProbed] = typeof(TrialAttemptProbed),
        [Manifests.WarmShard] = typeof(Trials.WarmShard),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<Type, string> ManifestsByType =
        TypesByManifest.ToFrozenDictionary(p => p.Value, p => p.Key);

    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new ParameterSetJsonConverter(), new MetricsJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    private readonly JsonSerializerOptions _options;

    public HyperDriveSerializer(ExtendedActorSystem system)
        : base(system)
    {
        _options = new JsonSerializerOptions(Options);
        _options.Converters.Add(new ActorRefJsonConverter(system));
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"HyperDriveSerializer has no manifest for {o.GetType().FullName}");

    public override byte[] ToBinary(object obj) => obj switch
    {
        // A sweep's state crosses nodes in its snapshot form, which rebuilds the same state (history included).
        SweepStateReply reply => JsonSerializer.SerializeToUtf8Bytes(SweepStateWire.From(reply.State, reply.MalformedMetricLines, null), _options),
        SweepChanged changed => JsonSerializer.SerializeToUtf8Bytes(SweepStateWire.From(changed.State, changed.MalformedMetricLines, changed.Waiting), _options),
        _ => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypesByManifest.TryGetValue(manifest, out var type))
        {
            throw new SerializationException($"HyperDriveSerializer: unknown manifest '{manifest}'");
        }

        if (type == typeof(SweepStateReply) || type == typeof(SweepChanged))
        {
            var wire = JsonSerializer.Deserialize<SweepStateWire>(bytes, _options)
                ?? throw new SerializationException($"HyperDriveSerializer: '{manifest}' deserialized to null");
            var state = wire.Snapshot?.ToState() ?? SweepState.Empty;
            return type == typeof(SweepStateReply)
                ? new SweepStateReply(state, wire.MalformedMetricLines)
                : new SweepChanged(state, wire.MalformedMetricLines, wire.Waiting);
        }

        return JsonSerializer.Deserialize(bytes, type, _options)
            ?? throw new SerializationException($"HyperDriveSerializer: '{manifest}' deserialized to null");
    }

    /// <summary>Every manifest this serializer reads and writes, for tests and tools.</summary>
    public static IReadOnlyCollection<string> KnownManifests => TypesByManifest.Keys;

    public static class Manifests
    {
        public const string SweepSubmitted = "sweep-submitted.v1";
        public const string TrialProposed = "trial-proposed.v1";
        public const string TrialStarted = "trial-started.v1";
        public const string MetricsReported = "metrics-reported.v1";
        public const string IntervalsReported = "intervals-reported.v1";
        public const string WarmStartLoaded = "warm-start-loaded.v1";
        public const string TrialStopRequested = "trial-stop-requested.v1";
        public const string TrialCompleted = "trial-completed.v1";
        public const string TrialFailed = "trial-failed.v1";
        public const string TrialCanceled = "trial-canceled.v1";
        public const string SweepCompleted = "sweep-completed.v1";
        public const string SweepCanceled = "sweep-canceled.v1";
        public const string SweepFailed = "sweep-failed.v1";
        public const string SweepSnapshot = "sweep-snapshot.v1";
        public const string TrialRequeued = "trial-requeued.v1";
        public const string SamplerStateSaved = "sampler-state-saved.v1";

        public const string SubmitSweep = "submit-sweep.v1";
        public const string SweepAccepted = "sweep-accepted.v1";
        public const string SweepRejected = "sweep-rejected.v1";
        public const string ResumeSweep = "resume-sweep.v1";
        public const string CancelSweep = "cancel-sweep.v1";
        public const string GetSweepState = "get-sweep-state.v1";
        public const string SweepStateReply = "sweep-state-reply.v1";
        public const string SubscribeToSweep = "subscribe-to-sweep.v1";
        public const string SweepChanged = "sweep-changed.v1";
        public const string TrialAttemptStarted = "trial-attempt-started.v1";
        public const string TrialIntervalsReported = "trial-intervals-reported.v1";
        public const string TrialMetricRejected = "trial-metric-rejected.v1";
        public const string TrialAttemptEnded = "trial-attempt-ended.v1";
        public const string StartTrial = "start-trial.v1";
        public const string StopTrial = "stop-trial.v1";
        public const string TrialActorStatus = "trial-actor-status.v1";
        public const string NodeAnnouncement = "node-announcement.v1";
        public const string ProbeAttempt = "probe-attempt.v1";
        public const string TrialAttemptProbed = "trial-attempt-probed.v1";
        public const string WarmShard = "warm-shard.v1";
    }

    /// <summary>A sweep's state on the wire: its snapshot (null before submission) and the counters beside it.</summary>
    private sealed record SweepStateWire(SweepSnapshot? Snapshot, int MalformedMetricLines, string? Waiting)
    {
        public static SweepStateWire From(SweepState state, int malformed, string? waiting) =>
            new(state.Status == SweepStatus.None ? null : SweepSnapshot.From(state), malformed, waiting);
    }
}
