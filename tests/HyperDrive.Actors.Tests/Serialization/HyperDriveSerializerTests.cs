using System.Collections.Immutable;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Serialization;
using HyperDrive.Actors.Nodes;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.Placement;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Actors.Tests.Serialization;

/// <summary>
/// Every event round-trips, and its bytes equal a committed golden file: a change to an event's shape fails
/// here, so a journal written today still replays tomorrow. To add a new manifest's golden file, run the
/// tests once with HYPERDRIVE_UPDATE_GOLDEN=1 and commit the file it writes (never to change an existing one).
/// </summary>
public sealed class HyperDriveSerializerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    private readonly ActorSystem _system = ActorSystem.Create("serializer-tests", HoconLayers.Compose("akka.actor.provider = local", "base"));

    public static TheoryData<string> Manifests() => [.. Samples().Keys];

    public static IReadOnlyDictionary<string, object> Samples()
    {
        var parameters = new ParameterSet([
            KeyValuePair.Create("lr", (ParameterValue)new RealValue(0.001)),
            KeyValuePair.Create("whole", (ParameterValue)new RealValue(3.0)),
            KeyValuePair.Create("batch", (ParameterValue)new IntegerValue(32)),
            KeyValuePair.Create("optimizer", (ParameterValue)new TextValue("adam")),
            KeyValuePair.Create("nesterov", (ParameterValue)new BooleanValue(true)),
            KeyValuePair.Create("model", (ParameterValue)new MapValue([
                KeyValuePair.Create("name", (ParameterValue)new TextValue("yolo")),
                KeyValuePair.Create("depth", (ParameterValue)new IntegerValue(5))])),
        ]);
        var metrics = ImmutableSortedDictionary.CreateRange(new Dictionary<string, double> { ["accuracy"] = 0.913, ["loss"] = 0.31 });
        return new Dictionary<string, object>
        {
            [HyperDriveSerializer.Manifests.SweepSubmitted] = new SweepSubmitted("digits-3f9c", "name: digits\n", "/home/u/sweeps", "/home/u/sweeps/digits.yml", 42, At),
            [HyperDriveSerializer.Manifests.TrialProposed] = new TrialProposed(7, parameters, At),
            [HyperDriveSerializer.Manifests.TrialStarted] = new TrialStarted(7, 2, "node-a", At),
            [HyperDriveSerializer.Manifests.MetricsReported] = new MetricsReported(7, 2, 3, metrics, At),
            [HyperDriveSerializer.Manifests.WarmStartLoaded] = new WarmStartLoaded(["digits-1a2b"], [new PriorTrial("digits-1a2b", 4, parameters, Core.History.TrialStatus.Completed, 0.931)], At),
            [HyperDriveSerializer.Manifests.IntervalsReported] = new IntervalsReported(7, 2, [new IntervalMetrics(3, metrics), new IntervalMetrics(4, metrics.SetItem("loss", 0.29))], At),
            [HyperDriveSerializer.Manifests.TrialStopRequested] = new TrialStopRequested(7, 2, "bandit", "accuracy 0.61 at interval 5 < 0.667", At),
            [HyperDriveSerializer.Manifests.TrialCompleted] = new TrialCompleted(7, 2, At),
            [HyperDriveSerializer.Manifests.TrialFailed] = new TrialFailed(7, 2, "exit code 1", false, At),
            [HyperDriveSerializer.Manifests.TrialCanceled] = new TrialCanceled(7, 2, "sweep canceled", At),
            [HyperDriveSerializer.Manifests.SweepCompleted] = new SweepCompleted("max_total_trials reached", At),
            [HyperDriveSerializer.Manifests.SweepCanceled] = new SweepCanceled("canceled by user", At),
            [HyperDriveSerializer.Manifests.SweepFailed] = new SweepFailed("sampler plug-in `python3 s.py` failed on search: bad JSON", At),
            [HyperDriveSerializer.Manifests.SweepSnapshot] = new SweepSnapshot(
                new SweepSubmitted("digits-3f9c", "name: digits\n", "/home/u/sweeps", null, 42, At),
                SweepStatus.Running,
                [new TrialView
                {
                    Number = 1,
                    Parameters = parameters,
                    Status = Core.History.TrialStatus.Running,
                    Attempt = 2,
                    Node = "node-a",
                    Started = At,
                    PendingStop = "accuracy 0.61 at interval 5 < 0.667",
                    History = [new IntervalMetrics(1, metrics)],
                    InfrastructureFailures = 1,
                }],
                null,
                null),
            [HyperDriveSerializer.Manifests.TrialRequeued] = new TrialRequeued(7, 2, "node 10.0.0.5:4101 was lost; placing it again", At),
            [HyperDriveSerializer.Manifests.SamplerStateSaved] = new SamplerStateSaved("{\"rng\":[3,[2763367667,42],null],\"name\":\"r\u00e9sum\u00e9\"}", At),
            [HyperDriveSerializer.Manifests.SubmitSweep] = new SubmitSweep("digits-3f9c", Spec, "/home/u/sweeps", "/home/u/sweeps/digits.yml", 42),
            [HyperDriveSerializer.Manifests.SweepAccepted] = new SweepAccepted("digits-3f9c"),
            [HyperDriveSerializer.Manifests.SweepRejected] = new SweepRejected("digits-3f9c", ["digits.yml:3:5: search_space.lr: min_value 1 > max_value 0"]),
            [HyperDriveSerializer.Manifests.ResumeSweep] = new ResumeSweep("digits-3f9c"),
            [HyperDriveSerializer.Manifests.CancelSweep] = new CancelSweep("digits-3f9c", "canceled through the API"),
            [HyperDriveSerializer.Manifests.GetSweepState] = new GetSweepState("digits-3f9c"),
            [HyperDriveSerializer.Manifests.SweepStateReply] = new SweepStateReply(RunningState(parameters, metrics), 2),
            [HyperDriveSerializer.Manifests.SubscribeToSweep] = new SubscribeToSweep("digits-3f9c", ActorRefs.Nobody),
            [HyperDriveSerializer.Manifests.SweepChanged] = new SweepChanged(RunningState(parameters, metrics), 0, "waiting: every GPU is busy"),
            [HyperDriveSerializer.Manifests.TrialAttemptStarted] = new TrialAttemptStarted("digits-3f9c", 7, 2, "10.0.0.5:4101"),
            [HyperDriveSerializer.Manifests.TrialIntervalsReported] = new TrialIntervalsReported("digits-3f9c", 7, 2, [new IntervalMetrics(3, metrics), new IntervalMetrics(4, metrics)]),
            [HyperDriveSerializer.Manifests.TrialMetricRejected] = new TrialMetricRejected("digits-3f9c", 7, 2, "accuracy=abc is not a number"),
            [HyperDriveSerializer.Manifests.TrialAttemptEnded] = new TrialAttemptEnded("digits-3f9c", 7, 2, AttemptEnd.Refused, "node 10.0.0.5:4101 has no free slot", false),
            [HyperDriveSerializer.Manifests.StartTrial] = new StartTrial("digits-3f9c", 7, 2, parameters, Spec, "/home/u/sweeps", "/var/lib/hyperdrive", [1],
                "10.0.0.5:4101", new Lease(new TrialKey("digits-3f9c", 7, 2), "10.0.0.5:4101", [new GpuShare(1, 500, 8L << 30)])),
            [HyperDriveSerializer.Manifests.StopTrial] = new StopTrial("digits-3f9c", 7, 2, "accuracy 0.61 at interval 5 < 0.667", "10.0.0.5:4101"),
            [HyperDriveSerializer.Manifests.TrialActorStatus] = new TrialActorStatus("digits-3f9c", 7, 2, true),
            [HyperDriveSerializer.Manifests.ProbeAttempt] = new ProbeAttempt("digits-3f9c", 7, 2, "10.0.0.5:4101", 3),
            [HyperDriveSerializer.Manifests.TrialAttemptProbed] = new TrialAttemptProbed("digits-3f9c", 7, 2, true),
            [HyperDriveSerializer.Manifests.WarmShard] = new WarmShard("10.0.0.5:4101"),
            [HyperDriveSerializer.Manifests.NodeAnnouncement] = new NodeAnnouncement("10.0.0.5:4101", [new GpuDevice(0, "NVIDIA H100 80GB HBM3", 85_520_809_984), new GpuDevice(1, "NVIDIA H100 80GB HBM3", 85_520_809_984)], 16,
                [new Lease(new TrialKey("digits-3f9c", 7, 2), "10.0.0.5:4101", [new GpuShare(1, 500, 8L << 30)])]),
        };
    }

    private const string Spec = """
        name: digits
        trial: { builtin: fictitious }
        search_space:
          lr: { type: loguniform, min_value: -6, max_value: -1 }
        objective: { primary_metric: accuracy, goal: maximize }
        """;

    private static SweepState RunningState(ParameterSet parameters, ImmutableSortedDictionary<string, double> metrics)
    {
        var state = SweepState.Empty
            .Apply(new SweepSubmitted("digits-3f9c", Spec, "/home/u/sweeps", null, 42, At))
            .Apply(new TrialProposed(1, parameters, At))
            .Apply(new TrialStarted(1, 1, "10.0.0.5:4101", At))
            .Apply(new MetricsReported(1, 1, 1, metrics, At));
        return state;
    }

    [Fact]
    public void Sweep_state_should_cross_nodes_as_its_snapshot_and_rebuild_the_same_state()
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);
        var sample = (SweepChanged)Samples()[HyperDriveSerializer.Manifests.SweepChanged];

        var back = (SweepChanged)serializer.FromBinary(serializer.ToBinary(sample), HyperDriveSerializer.Manifests.SweepChanged);

        Assert.Equal(sample.Waiting, back.Waiting);
        var (before, after) = (sample.State.Trials.Single(), back.State.Trials.Single());
        Assert.Equal((before.Number, before.Status, before.Attempt, before.Node, before.Started), (after.Number, after.Status, after.Attempt, after.Node, after.Started));
        Assert.Equal(before.Parameters, after.Parameters);
        Assert.Equal(before.FinalMetrics, after.FinalMetrics);
        Assert.Equal(sample.State.History.Trials.Single().Primary.AsEnumerable(), back.State.History.Trials.Single().Primary.AsEnumerable());
        Assert.Equal(sample.State.Spec!.Objective, back.State.Spec!.Objective);
        Assert.Equal(SweepStatus.Running, back.State.Status);
    }

    [Fact]
    public void Empty_sweep_state_should_cross_nodes_as_empty()
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);

        var back = (SweepStateReply)serializer.FromBinary(serializer.ToBinary(new SweepStateReply(SweepState.Empty, 0)), HyperDriveSerializer.Manifests.SweepStateReply);

        Assert.Equal(SweepStatus.None, back.State.Status);
    }

    [Fact]
    public void Subscriber_reference_should_resolve_to_the_same_actor()
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);
        var subscriber = _system.ActorOf(Props.Empty, "subscriber");

        var back = (SubscribeToSweep)serializer.FromBinary(serializer.ToBinary(new SubscribeToSweep("s", subscriber)), HyperDriveSerializer.Manifests.SubscribeToSweep);

        Assert.Equal(subscriber, back.Subscriber);
    }

    [Fact]
    public void Metrics_should_read_back_with_ordinal_names_and_named_non_finite_values()
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);
        var metrics = ImmutableSortedDictionary.CreateRange(new Dictionary<string, double> { ["b"] = double.NaN, ["B"] = double.NegativeInfinity, ["a"] = 0.5 });
        var bytes = serializer.ToBinary(new IntervalsReported(1, 1, [new IntervalMetrics(1, metrics)], At));

        var back = ((IntervalsReported)serializer.FromBinary(bytes, HyperDriveSerializer.Manifests.IntervalsReported)).Intervals[0].Metrics;

        Assert.Contains("\"b\":\"NaN\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Same(StringComparer.Ordinal, back.KeyComparer);
        Assert.Equal(["B", "a", "b"], back.Keys);
        Assert.True(double.IsNaN(back["b"]));
        Assert.Equal(double.NegativeInfinity, back["B"]);
    }

    [Fact]
    public void Serializer_should_cover_every_manifest_with_a_sample()
    {
        Assert.Equal(HyperDriveSerializer.KnownManifests.Order(), Samples().Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Event_should_be_bound_to_the_HyperDrive_serializer_and_round_trip(string manifest)
    {
        var sample = Samples()[manifest];
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(sample);

        Assert.IsType<HyperDriveSerializer>(serializer);
        Assert.Equal(manifest, serializer.Manifest(sample));
        var bytes = serializer.ToBinary(sample);
        var back = serializer.FromBinary(bytes, manifest);
        Assert.Equal(sample.GetType(), back.GetType());
        Assert.Equal(bytes, serializer.ToBinary(back));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Event_bytes_should_equal_the_golden_file(string manifest)
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);
        var bytes = serializer.ToBinary(Samples()[manifest]);
        var golden = Path.Combine(AppContext.BaseDirectory, "golden", manifest + ".json");
        if (!File.Exists(golden) && Environment.GetEnvironmentVariable("HYPERDRIVE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(SourceGoldenFolder(), manifest + ".json"), bytes);
            return;
        }

        Assert.True(File.Exists(golden), $"no golden file for {manifest}: run with HYPERDRIVE_UPDATE_GOLDEN=1 once and commit it");
        var expected = File.ReadAllBytes(golden);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(bytes));

        var replayed = serializer.FromBinary(expected, manifest);
        Assert.Equal(expected, serializer.ToBinary(replayed));
    }

    [Fact]
    public void Snapshot_should_keep_the_sampler_plugin_state()
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);
        var sample = (SweepSnapshot)Samples()[HyperDriveSerializer.Manifests.SweepSnapshot];
        var snapshot = sample with { Submitted = sample.Submitted with { SpecText = Spec }, SamplerState = "{\"k\":3}" };

        var replayed = (SweepSnapshot)serializer.FromBinary(serializer.ToBinary(snapshot), HyperDriveSerializer.Manifests.SweepSnapshot);

        Assert.Equal("{\"k\":3}", replayed.SamplerState);
        Assert.Equal("{\"k\":3}", replayed.ToState().SamplerState);
    }

    [Fact]
    public void Typed_parameters_should_survive_the_journal()
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);
        var proposed = (TrialProposed)Samples()[HyperDriveSerializer.Manifests.TrialProposed];

        var back = (TrialProposed)serializer.FromBinary(serializer.ToBinary(proposed), HyperDriveSerializer.Manifests.TrialProposed);

        Assert.Equal(proposed.Parameters, back.Parameters);
        Assert.IsType<RealValue>(back.Parameters.Find("whole"));
        Assert.IsType<IntegerValue>(back.Parameters.Find("batch"));
        Assert.Equal(new IntegerValue(5), back.Parameters.Find("model.depth"));
    }

    [Fact]
    public void FromBinary_should_throw_SerializationException_for_an_unknown_manifest()
    {
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)_system);

        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "trial-exploded.v9"));
        Assert.Contains("trial-exploded.v9", error.Message);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static string SourceGoldenFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "HyperDrive.Actors.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder!.FullName, "tests", "HyperDrive.Actors.Tests", "Serialization", "golden");
    }
}
