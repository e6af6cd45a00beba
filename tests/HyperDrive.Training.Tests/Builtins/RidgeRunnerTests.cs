using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Builtins.Ridge;
using HyperDrive.Training.Runners;
using HyperDrive.Training.Tests.Support;

namespace HyperDrive.Training.Tests.Builtins;

public sealed class RidgeRunnerTests : IDisposable
{
    private readonly TrialSandbox _sandbox = new();

    [Fact]
    public async Task Ridge_should_report_the_public_objectives_mean_five_fold_r2_when_alpha_is_its_optimum()
    {
        var observer = new RecordingObserver();

        var outcome = await Run(Alpha(3.91e-4), observer);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        var intervals = observer.Intervals.ToList();
        Assert.Equal([1, 2, 3, 4, 5], intervals.Select(i => i.Interval));
        // ../shared/bench/README.md §1: ridge_diabetes = −0.482327 at alpha 3.91e-4 with intercept (scikit-learn's figure).
        Assert.Equal(0.482327, outcome.FinalMetrics["r2"], 1e-6);
        Assert.Equal(intervals.Average(i => i.Metrics["fold_r2"]), outcome.FinalMetrics["r2"], 1e-12);
        Assert.Equal(intervals[0].Metrics["fold_r2"], intervals[0].Metrics["r2"]);
        Assert.Equal((intervals[0].Metrics["fold_r2"] + intervals[1].Metrics["fold_r2"]) / 2, intervals[1].Metrics["r2"], 1e-12);
    }

    [Fact]
    public async Task Ridge_should_reach_r2_one_and_the_true_coefficients_when_the_csv_is_noiselessly_linear()
    {
        var csv = Csv("linear.csv", "a,b,y,c", Enumerable.Range(0, 60).Select(i =>
        {
            double a = i % 7, b = (i * 13) % 11 - 5, c = Math.Sin(i);
            return Row(a, b, 3 + 2 * a - 5 * b + 0.5 * c, c);
        }));
        var observer = new RecordingObserver();

        var outcome = await Run(Alpha(1e-10), observer, Options(("data", Text(csv)), ("label", Text("y"))));

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(1, outcome.FinalMetrics["r2"], 1e-9);
        using var model = ReadModel();
        Assert.Equal(["a", "b", "c"], model.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal([2, -5, 0.5], model.RootElement.GetProperty("raw_coefficients").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 6)));
        Assert.Equal(3, model.RootElement.GetProperty("raw_intercept").GetDouble(), 1e-6);
    }

    [Fact]
    public async Task Ridge_should_write_model_json_with_alpha_scaling_coefficients_and_r2()
    {
        var observer = new RecordingObserver();

        var outcome = await Run(Alpha(0.5), observer);

        using var model = ReadModel();
        var root = model.RootElement;
        Assert.Equal(0.5, root.GetProperty("alpha").GetDouble());
        Assert.True(root.GetProperty("fit_intercept").GetBoolean());
        Assert.Equal(442, root.GetProperty("rows").GetInt32());
        Assert.Equal(10, root.GetProperty("coefficients").GetArrayLength());
        Assert.Equal("sum_of_squares", root.GetProperty("scaling").GetProperty("method").GetString());
        Assert.Equal(10, root.GetProperty("scaling").GetProperty("scales").GetArrayLength());
        Assert.Equal(5, root.GetProperty("validation").GetProperty("folds").GetInt32());
        Assert.Equal(outcome.FinalMetrics["r2"], root.GetProperty("r2").GetDouble());
        // The diabetes target's mean (152.133…): with centred features the intercept of a fit on all rows is ȳ.
        Assert.Equal(152.133, root.GetProperty("intercept").GetDouble(), 1e-3);
    }

    [Fact]
    public async Task Ridge_should_fit_no_intercept_when_the_fit_intercept_parameter_overrides_the_option()
    {
        // y = 1000 + x: without an intercept the fit cannot follow the offset.
        var csv = Csv("offset.csv", "x,y", Enumerable.Range(0, 40).Select(i => Row(i, 1000 + i)));
        var options = Options(("data", Text(csv)), ("label", Text("y")), ("fit_intercept", ParameterValue.Of(true)));

        var with = await Run(Alpha(1e-8), new RecordingObserver(), options);
        var without = await Run(Alpha(1e-8).With("fit_intercept", ParameterValue.Of(false)), new RecordingObserver(), options);

        Assert.Equal(1, with.FinalMetrics["r2"], 1e-9);
        Assert.True(without.FinalMetrics["r2"] < 0, without.FinalMetrics["r2"].ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Ridge_should_report_one_interval_without_fold_r2_when_a_holdout_is_given()
    {
        var observer = new RecordingObserver();

        var outcome = await Run(Alpha(0.1), observer, Options(("holdout", ParameterValue.Of(0.2))));

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        var interval = Assert.Single(observer.Intervals);
        Assert.Equal(["r2"], interval.Metrics.Keys);
        Assert.InRange(interval.Metrics["r2"], 0.3, 0.7);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("NaN")]
    public async Task Ridge_should_fail_naming_alpha_and_its_value_when_alpha_is_not_a_positive_number(string text)
    {
        var value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? ParameterValue.Of(number) : ParameterValue.Of(text);

        var outcome = await Run(ParameterSet.Of(("alpha", value)), new RecordingObserver());

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains($"alpha = {text}", outcome.Error);
    }

    [Fact]
    public async Task Ridge_should_fail_naming_alpha_when_it_is_missing()
    {
        var outcome = await Run(ParameterSet.Of(("lr", ParameterValue.Of(0.1))), new RecordingObserver());

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("alpha", outcome.Error);
    }

    [Fact]
    public async Task Ridge_should_fail_naming_the_file_and_column_when_the_label_column_is_missing()
    {
        var csv = Csv("nolabel.csv", "a,b", [Row(1, 2), Row(3, 4)]);

        var outcome = await Run(Alpha(1), new RecordingObserver(), Options(("data", Text(csv)), ("label", Text("price"))));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains(Path.Combine(_sandbox.Root, csv), outcome.Error);
        Assert.Contains("'price'", outcome.Error);
    }

    [Fact]
    public async Task Ridge_should_fail_naming_the_file_line_column_and_cell_when_a_cell_is_not_a_number()
    {
        var rows = Enumerable.Range(0, 20).Select(i => Row(i, 2 * i)).ToList();
        rows[1] = "5,twelve";
        var csv = Csv("bad.csv", "x,y", rows);

        var outcome = await Run(Alpha(1), new RecordingObserver(), Options(("data", Text(csv)), ("label", Text("y"))));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("bad.csv line 3, column 'y': 'twelve'", outcome.Error);
    }

    [Fact]
    public async Task Ridge_should_fail_naming_the_option_when_an_option_is_unknown()
    {
        var outcome = await Run(Alpha(1), new RecordingObserver(), Options(("fold", ParameterValue.Of(5L))));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("unknown builtin_options fold", outcome.Error);
    }

    [Fact]
    public async Task Ridge_should_stop_before_the_next_fold_and_write_no_model_when_canceled()
    {
        using var cancellation = new CancellationTokenSource();
        var observer = new CancelingObserver(cancellation);

        var outcome = await new RidgeRunner().RunAsync(_sandbox.Request(new TrialSpec { Builtin = "ridge" }, Alpha(1)), observer, cancellation.Token);

        Assert.Equal(TrialOutcomeKind.Canceled, outcome.Kind);
        Assert.Equal(1, observer.Intervals);
        Assert.False(File.Exists(ModelPath));
    }

    [Fact]
    public async Task Ridge_should_report_nothing_when_canceled_before_it_starts()
    {
        var observer = new RecordingObserver();

        var outcome = await new RidgeRunner().RunAsync(_sandbox.Request(new TrialSpec { Builtin = "ridge" }, Alpha(1)), observer, new CancellationToken(canceled: true));

        Assert.Equal(TrialOutcomeKind.Canceled, outcome.Kind);
        Assert.Empty(observer.Intervals);
    }

    public void Dispose() => _sandbox.Dispose();

    private string ModelPath => Path.Combine(_sandbox.Request("x").OutputDirectory, RidgeRunner.ModelFileName);

    private static ParameterSet Alpha(double alpha) => ParameterSet.Of(("alpha", ParameterValue.Of(alpha)));

    private static ParameterValue Text(string text) => ParameterValue.Of(text);

    private static MapValue Options(params (string Name, ParameterValue Value)[] entries) =>
        new([.. entries.Select(e => KeyValuePair.Create(e.Name, e.Value))]);

    private static string Row(params double[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Writes a CSV into the sandbox root (the spec folder); returns its path relative to it.</summary>
    private string Csv(string name, string header, IEnumerable<string> rows)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row).Append('\n');
        }

        File.WriteAllText(Path.Combine(_sandbox.Root, name), text.ToString());
        return name;
    }

    private Task<TrialOutcome> Run(ParameterSet parameters, ITrialObserver observer, MapValue? options = null) =>
        new RidgeRunner().RunAsync(
            _sandbox.Request(new TrialSpec { Builtin = "ridge", BuiltinOptions = options ?? new MapValue([]) }, parameters),
            observer,
            CancellationToken.None);

    private JsonDocument ReadModel() => JsonDocument.Parse(File.ReadAllText(ModelPath));

    private sealed class CancelingObserver(CancellationTokenSource cancellation) : ITrialObserver
    {
        public int Intervals { get; private set; }

        public void OnInterval(IntervalReport report)
        {
            Intervals++;
            cancellation.Cancel();
        }

        public void OnMalformedMetric(string reason)
        {
        }

        public void OnProcessStarted(int processId, int processGroupId)
        {
        }
    }
}
