using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Sampling.CmaEs;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Sampling;

/// <summary>
/// The cmaes sampler: its update against a hand calculation and against the <c>cmaes</c> package (Debian's
/// python3-cmaes, which Optuna's CmaEsSampler uses), its generations, options, and search quality.
/// </summary>
public sealed class CmaEsSamplerTests
{
    private static readonly (double[] X, double Loss)[] FirstGeneration =
    [
        ([0.6, 0.4], 3.0), ([0.3, 0.55], 1.0), ([0.45, 0.7], 2.0), ([0.7, 0.65], 4.0),
    ];

    private static readonly (double[] X, double Loss)[] SecondGeneration =
    [
        ([0.35, 0.5], 0.5), ([0.5, 0.45], 1.5), ([0.25, 0.6], 0.2), ([0.4, 0.7], 2.5),
    ];

    [Fact]
    public void State_should_move_mean_and_step_size_as_the_update_equations_when_one_generation_is_told()
    {
        var state = new CmaEsState([0.5, 0.5], 0.2, 4);
        state.Tell(FirstGeneration);

        // λ = 4, μ = 2, n = 2: w'_i = ln(5/2) − ln i; the two best (losses 1 and 2) weigh w'_1/(w'_1 + w'_2), w'_2/(…).
        var (p1, p2) = (Math.Log(2.5), Math.Log(2.5) - Math.Log(2));
        var (w1, w2) = (p1 / (p1 + p2), p2 / (p1 + p2));
        double[] mean = [w1 * 0.3 + w2 * 0.45, w1 * 0.55 + w2 * 0.7];
        Assert.Equal(mean[0], state.Mean[0], 12);
        Assert.Equal(mean[1], state.Mean[1], 12);

        // C = I, p_σ = 0: p_σ' = √(c_σ(2 − c_σ)μ_eff)·y_w, σ' = σ·exp(c_σ/d_σ·(‖p_σ'‖/E‖N(0, I)‖ − 1)).
        var muEff = 1 / (w1 * w1 + w2 * w2);
        var cSigma = (muEff + 2) / (2 + muEff + 5);
        var dSigma = 1 + 2 * Math.Max(0, Math.Sqrt((muEff - 1) / 3) - 1) + cSigma;
        var chi = Math.Sqrt(2) * (1 - 1 / 8.0 + 1 / 84.0);
        double[] yw = [(mean[0] - 0.5) / 0.2, (mean[1] - 0.5) / 0.2];
        var path = Math.Sqrt(cSigma * (2 - cSigma) * muEff) * Math.Sqrt(yw[0] * yw[0] + yw[1] * yw[1]);
        Assert.Equal(0.2 * Math.Exp(cSigma / dSigma * (path / chi - 1)), state.Sigma, 12);
    }

    // python3: cmaes.CMA(mean=[0.5, 0.5], sigma=0.2, population_size=4, bounds=[[0, 1], [0, 1]]), told the two generations.
    [Fact]
    public void State_should_equal_the_cmaes_package_when_two_generations_are_told()
    {
        var state = new CmaEsState([0.5, 0.5], 0.2, 4);
        state.Tell(FirstGeneration);

        Assert.Equal(0.3293755710100905, state.Mean[0], 12);
        Assert.Equal(0.5793755710100906, state.Mean[1], 12);
        Assert.Equal(0.1849846146134261, state.Sigma, 12);

        state.Tell(SecondGeneration);

        Assert.Equal(0.26958371400672704, state.Mean[0], 12);
        Assert.Equal(0.5804162859932729, state.Mean[1], 12);
        Assert.Equal(0.16806841479987564, state.Sigma, 12);
        Assert.Equal(0.8983896155358866, state.Covariance(0, 0), 10);
        Assert.Equal(-0.10248330918686835, state.Covariance(0, 1), 10);
        Assert.Equal(0.708280819314384, state.Covariance(1, 1), 10);
    }

    [Fact]
    public void Sampler_should_converge_on_a_sphere_when_run_for_40_generations()
    {
        var space = SearchSpace.Of(("a", new UniformExpression(-1, 1)), ("b", new UniformExpression(-1, 1)), ("c", new UniformExpression(-1, 1)));
        var sampler = new CmaEsSampler(space, 5);
        var history = SweepHistory.Empty(new Objective("loss", Goal.Minimize));
        var best = double.PositiveInfinity;
        var trials = 1 + 40 * sampler.Lambda;
        for (var n = 1; n <= trials; n++)
        {
            var proposal = sampler.Propose(history)!;
            var value = SearchObjectives.Sphere(proposal);
            best = Math.Min(best, value);
            history = history.Propose(proposal).Report(n, new MetricPoint(1, value)).Finish(n, TrialStatus.Completed);
        }

        var state = sampler.Replay(history, 40);
        Assert.Equal(40, state.Generation);
        Assert.True(best < 1e-5, $"best {best} after {trials} trials");
        Assert.True(state.Sigma < 0.01, $"σ {state.Sigma} after 40 generations");
        Assert.All(state.Mean, m => Assert.Equal(0.65, m, 2));
    }

    [Fact]
    public void Sampler_should_wait_for_a_generation_when_one_of_its_trials_still_runs()
    {
        var space = SearchObjectives.BraninSpace;
        var sampler = new CmaEsSampler(space, 3, CmaEsOptions.Default with { PopulationSize = 4 });
        var history = SweepHistory.Empty(new Objective("loss", Goal.Minimize));
        for (var n = 1; n <= 5; n++)
        {
            var proposal = sampler.Propose(history)!;
            history = history.Propose(proposal);
            if (n != 3)
            {
                history = history.Report(n, new MetricPoint(1, SearchObjectives.Branin(proposal))).Finish(n, TrialStatus.Completed);
            }
        }

        // Trials 2..5 are generation 0; trial 3 runs, so trial 6 (generation 1) draws from the initial distribution.
        Assert.Equal(0, sampler.Replay(history, 1).Generation);
        Assert.Equal([0.5, 0.5], sampler.Replay(history, 1).Mean);

        var finished = history.Report(3, new MetricPoint(1, 1.0)).Finish(3, TrialStatus.Completed);
        Assert.Equal(1, sampler.Replay(finished, 1).Generation);
        Assert.NotEqual(sampler.Propose(history)!.ToJson(), sampler.Propose(finished)!.ToJson());
    }

    [Fact]
    public void Sampler_should_propose_a_generations_trials_regardless_of_its_earlier_results_when_it_is_open()
    {
        var space = SearchObjectives.BraninSpace;
        var sampler = new CmaEsSampler(space, 8, CmaEsOptions.Default with { PopulationSize = 4 });
        var one = SweepHistory.Empty(new Objective("loss", Goal.Minimize));
        var two = one;
        for (var n = 1; n <= 4; n++)
        {
            var proposal = sampler.Propose(one)!;
            Assert.Equal(proposal.ToJson(), sampler.Propose(two)!.ToJson());
            one = one.Propose(proposal).Report(n, new MetricPoint(1, n)).Finish(n, TrialStatus.Completed);
            two = two.Propose(proposal).Report(n, new MetricPoint(1, -n)).Finish(n, TrialStatus.Completed);
        }

        Assert.Equal(sampler.Propose(one)!.ToJson(), sampler.Propose(two)!.ToJson());
    }

    [Fact]
    public void Sampler_should_draw_choice_parameters_as_the_random_sampler_when_the_space_has_them()
    {
        var space = SearchSpace.Of(
            ("x", new UniformExpression(0, 1)),
            ("y", new LogUniformExpression(-5, 0)),
            ("kind", ChoiceExpression.Of(ParameterValue.Of("a"), ParameterValue.Of("b"), ParameterValue.Of("c"))));
        var cma = SamplerTestKit.Run(new CmaEsSampler(space, 4), 30).Proposals;
        var random = SamplerTestKit.Run(new RandomSampler(space, 4), 30).Proposals;

        Assert.Equal(random.Select(p => p.Find("kind")), cma.Select(p => p.Find("kind")));
        Assert.NotEqual(random.Select(p => p.Find("x")), cma.Select(p => p.Find("x")));
    }

    [Fact]
    public void Sampler_should_find_a_better_rosenbrock4_value_than_random_when_given_100_trials()
    {
        long[] seeds = [.. Enumerable.Range(1, 15).Select(i => (long)i)];
        var cma = SearchObjectives.Median(seeds.Select(s =>
            SearchObjectives.Best(new SamplingSpec { Type = "cmaes" }, SearchObjectives.Rosenbrock4Space, s, SearchObjectives.Rosenbrock4, 100)));
        var random = SearchObjectives.Median(seeds.Select(s =>
            SearchObjectives.Best(new SamplingSpec { Type = "random" }, SearchObjectives.Rosenbrock4Space, s, SearchObjectives.Rosenbrock4, 100)));

        // Optuna 3.1 (shared/bench/README.md §1): random 33.1, CMA-ES 3.0 at k = 100.
        Assert.True(cma < random / 2, $"median best after 100 trials: cmaes {cma}, random {random}");
    }

    [Theory]
    [InlineData("population_size", 1, "population_size expects an integer >= 2, got 1")]
    [InlineData("n_startup_trials", -3, "n_startup_trials expects an integer >= 0, got -3")]
    [InlineData("sigma0", 0, "sigma0 expects a number in (0, 1] (a step size in the unit cube of the space), got 0")]
    [InlineData("x0", 1, "x0 is not supported by the cmaes sampler of this version; its options are population_size, sigma0 and n_startup_trials")]
    [InlineData("restart_strategy", 1, "restart_strategy is not supported by the cmaes sampler of this version; its options are population_size, sigma0 and n_startup_trials")]
    public void Options_should_be_refused_by_name_when_out_of_range(string name, long value, string message)
    {
        var spec = SamplerTestKit.Spec(new SamplingSpec { Type = "cmaes", Options = SamplerTestKit.Map((name, ParameterValue.Of(value))) }, SearchObjectives.BraninSpace, 1);

        var error = Assert.Throws<SpecException>(() => SamplerRegistry.Create(spec));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("sampling_algorithm." + name, diagnostic.Path);
        Assert.Equal(message, diagnostic.Message);
    }

    [Fact]
    public void Options_should_set_population_and_step_size_when_given()
    {
        var sampler = Assert.IsType<CmaEsSampler>(SamplerRegistry.Create(SamplerTestKit.Spec(new SamplingSpec
        {
            Type = "cmaes",
            Options = SamplerTestKit.Map(("population_size", ParameterValue.Of(12)), ("sigma0", ParameterValue.Of(0.3)), ("n_startup_trials", ParameterValue.Of(0))),
        }, SearchObjectives.Rosenbrock4Space, 1)));

        Assert.Equal(12, sampler.Lambda);
        Assert.Equal(CmaEsOptions.Default with { PopulationSize = 12, Sigma0 = 0.3, StartupTrials = 0 }, sampler.Cma);
        Assert.Equal(4 + 4, new CmaEsSampler(SearchObjectives.Rosenbrock4Space, 1).Lambda);
    }
}
