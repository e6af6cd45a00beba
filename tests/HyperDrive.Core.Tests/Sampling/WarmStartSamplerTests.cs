using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;

namespace HyperDrive.Core.Tests.Sampling;

public sealed class WarmStartSamplerTests
{
    [Fact]
    public void Propose_should_show_the_priors_first_and_number_this_sweeps_trials_after_them()
    {
        var inner = new RecordingSampler();
        var priors = new[] { Set(0.1), Set(0.2) }.Select(p => WarmStartSampler.Prior(p, TrialStatus.Completed, 0.5)).ToList();
        var sampler = new WarmStartSampler(inner, priors);
        var history = SweepHistory.Empty(new Objective("accuracy", Goal.Maximize)).Propose(Set(0.9)).Report(1, new MetricPoint(1, 0.7));

        sampler.Propose(history);

        var seen = inner.Seen!;
        Assert.Equal([1, 2, 3], seen.Trials.Select(t => t.Number));
        Assert.Equal(4, seen.NextTrialNumber);
        Assert.Equal([0.5, 0.5, 0.7], seen.Trials.Select(t => t.FinalValue!.Value));
        Assert.Equal(Set(0.9), seen.Trial(3).Parameters);
        Assert.Equal(TrialStatus.Completed, seen.Trial(1).Status);
        Assert.Equal(2, sampler.PriorCount);
    }

    private static ParameterSet Set(double x) => new([KeyValuePair.Create("x", (ParameterValue)new RealValue(x))]);

    private sealed class RecordingSampler : ISampler
    {
        public SweepHistory? Seen { get; private set; }

        public string Name => "recording";

        public ParameterSet? Propose(SweepHistory history)
        {
            Seen = history;
            return null;
        }
    }
}
