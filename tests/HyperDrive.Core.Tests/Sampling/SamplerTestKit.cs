using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Sampling;

/// <summary>Spaces, specs and histories the sampler tests share.</summary>
internal static class SamplerTestKit
{
    public static readonly Objective Objective = new("accuracy", Goal.Maximize);

    /// <summary>Every one of the ten expressions once.</summary>
    public static readonly SearchSpace AllTen = SearchSpace.Of(
        ("u", new UniformExpression(-1, 3)),
        ("qu", new QUniformExpression(0.05, 0.75, 1)),
        ("lu", new LogUniformExpression(-9.2, -2.3)),
        ("qlu", new QLogUniformExpression(0, 5, 10)),
        ("n", new NormalExpression(0, 1)),
        ("qn", new QNormalExpression(10, 4, 2)),
        ("ln", new LogNormalExpression(0, 0.5)),
        ("qln", new QLogNormalExpression(2, 1, 5)),
        ("ri", new RandIntExpression(7)),
        ("c", ChoiceExpression.Of(ParameterValue.Of(1), ParameterValue.Of(2.5), ParameterValue.Of("adam"), ParameterValue.Of(true))));

    public static readonly SearchSpace ChoiceOnly = SearchSpace.Of(
        ("optimizer", ChoiceExpression.Of(ParameterValue.Of("sgd"), ParameterValue.Of("adam"))),
        ("batch", ChoiceExpression.Of(ParameterValue.Of(16), ParameterValue.Of(32), ParameterValue.Of(64))),
        ("dropout", ChoiceExpression.Of(ParameterValue.Of(0.1), ParameterValue.Of(0.5))));

    /// <summary>Azure v2's nested search space, choices only (grid can run it).</summary>
    public static readonly SearchSpace NestedChoice = SearchSpace.Of(
        ("model", new ChoiceExpression([
            ChoiceOption.Of(SearchSpace.Of(
                ("name", new FixedExpression(ParameterValue.Of("yolo"))),
                ("lr", ChoiceExpression.Of(ParameterValue.Of(0.1), ParameterValue.Of(0.01))))),
            ChoiceOption.Of(SearchSpace.Of(
                ("name", new FixedExpression(ParameterValue.Of("rcnn"))),
                ("optimizer", ChoiceExpression.Of(ParameterValue.Of("sgd"), ParameterValue.Of("adam"), ParameterValue.Of("rmsprop"))))),
            ChoiceOption.Of(ParameterValue.Of("none")),
        ])),
        ("batch", ChoiceExpression.Of(ParameterValue.Of(16), ParameterValue.Of(32))));

    /// <summary>A nested space with continuous members (random and sobol only).</summary>
    public static readonly SearchSpace NestedMixed = SearchSpace.Of(
        ("model", new ChoiceExpression([
            ChoiceOption.Of(SearchSpace.Of(
                ("name", new FixedExpression(ParameterValue.Of("yolo"))),
                ("lr", new LogUniformExpression(-7, -2)))),
            ChoiceOption.Of(SearchSpace.Of(
                ("name", new FixedExpression(ParameterValue.Of("rcnn"))),
                ("momentum", new UniformExpression(0.5, 0.99)),
                ("layers", new QUniformExpression(1, 8, 1)))),
        ])),
        ("seed", new RandIntExpression(1000)));

    public static readonly ImmutableDictionary<string, SearchSpace> Spaces = new Dictionary<string, SearchSpace>
    {
        ["all-ten"] = AllTen,
        ["choice-only"] = ChoiceOnly,
        ["nested-choice"] = NestedChoice,
        ["nested-mixed"] = NestedMixed,
    }.ToImmutableDictionary();

    /// <summary>Sampler configurations of the contract suite: a name and how to build it from a spec.</summary>
    public static readonly ImmutableDictionary<string, SamplingSpec> Samplers = new Dictionary<string, SamplingSpec>
    {
        ["random"] = new() { Type = "random" },
        ["random-rule-sobol"] = new() { Type = "random", Rule = "sobol" },
        ["sobol"] = new() { Type = "sobol" },
        ["sobol-unscrambled"] = new() { Type = "sobol", Options = Map(("scramble", ParameterValue.Of(false))) },
        ["grid"] = new() { Type = "grid" },
        ["bayesian"] = new() { Type = "bayesian", Options = Map(("n_initial_points", ParameterValue.Of(4)), ("n_candidates", ParameterValue.Of(128))) },
        ["tpe"] = new() { Type = "tpe", Options = Map(("n_startup_trials", ParameterValue.Of(3))) },
        ["tpe-multivariate"] = new() { Type = "tpe", Options = Map(("n_startup_trials", ParameterValue.Of(3)), ("multivariate", ParameterValue.Of(true))) },
        ["cmaes"] = new() { Type = "cmaes", Options = Map(("population_size", ParameterValue.Of(4))) },
    }.ToImmutableDictionary();

    public static bool Supports(string sampler, string space) =>
        sampler != "grid" || space is "choice-only" or "nested-choice";

    public static bool UsesSeed(string sampler) => sampler is "random" or "random-rule-sobol" or "sobol" or "bayesian" or "tpe" or "tpe-multivariate" or "cmaes";

    public static SweepSpec Spec(SamplingSpec sampling, SearchSpace space, long? seed = null) => new()
    {
        Name = "contract",
        Trial = new TrialSpec { Command = "python3 train.py" },
        Sampling = seed is null ? sampling : sampling with { Seed = seed },
        SearchSpace = space,
        Objective = Objective,
    };

    public static ISampler Build(string sampler, string space, long seed) =>
        SamplerRegistry.Create(Spec(Samplers[sampler], Spaces[space], seed));

    public static MapValue Map(params (string Name, ParameterValue Value)[] entries) =>
        new([.. entries.Select(e => KeyValuePair.Create(e.Name, e.Value))]);

    /// <summary>
    /// Runs a sweep of <paramref name="count"/> proposals: each trial reports two intervals and ends
    /// Completed, Failed or Canceled in turn; every fourth stays Running. Returns the proposals and the history.
    /// </summary>
    public static (List<ParameterSet> Proposals, SweepHistory History) Run(ISampler sampler, int count)
    {
        var history = SweepHistory.Empty(Objective);
        var proposals = new List<ParameterSet>();
        for (var i = 0; i < count; i++)
        {
            var proposal = sampler.Propose(history);
            if (proposal is null)
            {
                break;
            }

            proposals.Add(proposal);
            history = Feed(history, proposal);
        }

        return (proposals, history);
    }

    /// <summary>Adds a proposal and its (deterministic, made-up) results to a history.</summary>
    public static SweepHistory Feed(SweepHistory history, ParameterSet proposal)
    {
        history = history.Propose(proposal);
        var number = history.Count;
        history = history.Report(number, new MetricPoint(1, 0.01 * number)).Report(number, new MetricPoint(2, 0.02 * number));
        return (number % 4) switch
        {
            1 => history.Finish(number, TrialStatus.Completed),
            2 => history.Finish(number, TrialStatus.Failed),
            3 => history.Finish(number, TrialStatus.Canceled),
            _ => history,
        };
    }

    /// <summary>The draws of a one-parameter space: the value of parameter "x" in trials 1..n.</summary>
    public static List<ParameterValue> Draws(ISampler sampler, int n)
    {
        var history = SweepHistory.Empty(Objective);
        var values = new List<ParameterValue>(n);
        for (var i = 0; i < n; i++)
        {
            var proposal = sampler.Propose(history) ?? throw new InvalidOperationException("sampler exhausted");
            values.Add(proposal.Find("x")!);
            history = history.Propose(proposal);
        }

        return values;
    }

    public static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>The repository root: the folder with HyperDrive.Actors.sln above the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HyperDrive.Actors.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HyperDrive.Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
