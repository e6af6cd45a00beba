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
        [Manifests.TrialStopRequested] = typeof(TrialStopRequested),
        [Manifests.TrialCompleted] = typeof(TrialCompleted),
        [Manifests.TrialFailed] = typeof(TrialFailed),
        [Manifests.TrialCanceled] = typeof(TrialCanceled),
        [Manifests.SweepCompleted] = typeof(SweepCompleted),
        [Manifests.SweepCanceled] = typeof(SweepCanceled),
        [Manifests.SweepSnapshot] = typeof(SweepSnapshot),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<Type, string> ManifestsByType =
        TypesByManifest.ToFrozenDictionary(p => p.Value, p => p.Key);

    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new ParameterSetJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    public HyperDriveSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"HyperDriveSerializer has no manifest for {o.GetType().FullName}");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypesByManifest.TryGetValue(manifest, out var type))
        {
            throw new SerializationException($"HyperDriveSerializer: unknown manifest '{manifest}'");
        }

        return JsonSerializer.Deserialize(bytes, type, Options)
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
        public const string TrialStopRequested = "trial-stop-requested.v1";
        public const string TrialCompleted = "trial-completed.v1";
        public const string TrialFailed = "trial-failed.v1";
        public const string TrialCanceled = "trial-canceled.v1";
        public const string SweepCompleted = "sweep-completed.v1";
        public const string SweepCanceled = "sweep-canceled.v1";
        public const string SweepSnapshot = "sweep-snapshot.v1";
    }
}
