using HyperDrive.Core.Models;

namespace HyperDrive.Core.Tests.Models;

public class FictitiousModelTests
{
    // Expected values computed independently with Python's math module from the DESIGN §7 formulas; the first row by
    // hand as well: accuracy_e(80) = 0.95 − 3·log10(1)² = 0.95, accuracy_lr(z = −1) = 0.98 − log10(1.2)² = 0.97373,
    // accuracy = 0.95²·0.97373 = 0.87879.
    [Theory]
    [InlineData(0.5, 80, 0.1, 0.7710208204, 0.7580681844, 0.8787916231, 2.119998727, 0.7644896427)]
    [InlineData(0.5, 1, 0.1, 0.2251626447, 0.2213800623, 0.07494564114, 6.545671749, 0.2232553327)]
    [InlineData(0.0, 10, 0.01, 0.03444594526, 0.3438372248, 0.1275512536, 5.896648841, 0.06261868972)]
    [InlineData(1.0, 40, 0.5, 0.6612206741, 0.0001362609174, 0.448406215, 2.393390221, 0.0002724656865)]
    [InlineData(0.3, 20, 0.001, 0.06850756812, 0.4080989822, 0.1946008806, 5.292815519, 0.1173205396)]
    [InlineData(0.7, 60, 0.9, 0.8197482519, 0.06316687163, 0.7051318481, 2.011069985, 0.1172953803)]
    [InlineData(0.25, 5, 0.0001, 0.03189231789, 0.2528503643, 0.08076731929, 9.097059907, 0.05664050177)]
    [InlineData(0.9, 79, 0.05, 0.9144265104, 0.001390647216, 0.8684492188, 2.248869905, 0.002777071101)]
    public void Evaluate_should_match_the_design_formulas_when_inputs_are_in_the_domain(
        double thr, int e, double lr, double precision, double recall, double accuracy, double loss, double f1)
    {
        var metrics = FictitiousModel.Evaluate(thr, FictitiousModel.MaxEpochs, lr, e);

        AssertClose(precision, metrics.Precision);
        AssertClose(recall, metrics.Recall);
        AssertClose(accuracy, metrics.Accuracy);
        AssertClose(loss, metrics.Loss);
        AssertClose(f1, metrics.F1);
    }

    [Fact]
    public void Evaluate_should_not_depend_on_the_epoch_hyperparameter_when_the_current_epoch_is_the_same()
    {
        Assert.Equal(FictitiousModel.Evaluate(0.4, 80, 0.02, 7), FictitiousModel.Evaluate(0.4, 7, 0.02, 7));
    }

    [Theory]
    [InlineData(-0.1, 10, 0.1, 1, "thr")]
    [InlineData(1.1, 10, 0.1, 1, "thr")]
    [InlineData(double.NaN, 10, 0.1, 1, "thr")]
    [InlineData(0.5, 0, 0.1, 1, "epoch")]
    [InlineData(0.5, 81, 0.1, 1, "epoch")]
    [InlineData(0.5, 10, 0.0, 1, "lr")]
    [InlineData(0.5, 10, 1.0, 1, "lr")]
    [InlineData(0.5, 10, -0.5, 1, "lr")]
    [InlineData(0.5, 10, double.NaN, 1, "lr")]
    [InlineData(0.5, 10, 0.1, 0, "e")]
    [InlineData(0.5, 10, 0.1, 11, "e")]
    public void Evaluate_should_throw_a_named_error_when_an_input_is_outside_its_domain(
        double thr, int epochs, double lr, int e, string parameter)
    {
        var error = Assert.Throws<FictitiousDomainException>(() => FictitiousModel.Evaluate(thr, epochs, lr, e));

        Assert.Equal(parameter, error.Parameter);
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith($"fictitious: {parameter} = ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, 10, 1.5, "fictitious: lr = 1.5 is outside (0, 1)")]
    [InlineData(-0.1, 10, 0.1, "fictitious: thr = -0.1 is outside [0, 1]")]
    [InlineData(0.5, 81, 0.1, "fictitious: epoch = 81 is outside [1, 80]")]
    [InlineData(0.5, 10, double.NaN, "fictitious: lr = NaN is outside (0, 1)")]
    public void Evaluate_should_name_the_parameter_value_and_domain_when_refusing(double thr, int epochs, double lr, string message)
    {
        var error = Assert.Throws<FictitiousDomainException>(() => FictitiousModel.Evaluate(thr, epochs, lr, 1));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Curve_should_refuse_the_same_domain_errors_as_evaluate()
    {
        Assert.Equal("epoch", Assert.Throws<FictitiousDomainException>(() => FictitiousModel.Curve(0.5, 0, 0.1)).Parameter);
        Assert.Equal("lr", Assert.Throws<FictitiousDomainException>(() => FictitiousModel.Curve(0.5, 5, 1.0)).Parameter);
    }

    [Theory]
    [InlineData(0.5, 80, 0.1)]
    [InlineData(0.1, 3, 0.9)]
    [InlineData(1.0, 1, 1e-6)]
    public void Curve_should_hold_one_evaluation_per_epoch_when_built(double thr, int epochs, double lr)
    {
        var curve = FictitiousModel.Curve(thr, epochs, lr);

        Assert.Equal(epochs, curve.Length);
        for (var e = 1; e <= epochs; e++)
        {
            Assert.Equal(FictitiousModel.Evaluate(thr, epochs, lr, e), curve[e - 1]);
        }
    }

    // accuracy_e rises from 0.2774 at e = 1 to 0.95 at e = 80 and loss_e falls, so for lr where accuracy_lr > 0
    // accuracy rises and loss falls with every epoch.
    [Theory]
    [InlineData(0.5, 0.1)]
    [InlineData(0.0, 0.9)]
    [InlineData(1.0, 1e-4)]
    public void Curve_should_improve_every_epoch_when_accuracy_lr_is_positive(double thr, double lr)
    {
        var curve = FictitiousModel.Curve(thr, FictitiousModel.MaxEpochs, lr);

        for (var i = 1; i < curve.Length; i++)
        {
            Assert.True(curve[i].Accuracy > curve[i - 1].Accuracy, $"accuracy at epoch {i + 1}");
            Assert.True(curve[i].Loss < curve[i - 1].Loss, $"loss at epoch {i + 1}");
        }
    }

    // Each metric is (a factor of thr and lr) × (a positive factor of e), so two trials keep their order at every epoch.
    [Fact]
    public void Curves_should_never_cross_when_trials_differ_in_thr_and_lr()
    {
        (double Thr, double Lr)[] configs = [(0.0, 0.5), (0.3, 0.01), (0.5, 0.1), (0.7, 0.9), (1.0, 1e-4), (0.45, 0.05)];
        var curves = configs.Select(c => FictitiousModel.Curve(c.Thr, FictitiousModel.MaxEpochs, c.Lr)).ToList();
        Func<FictitiousMetrics, double>[] metrics = [m => m.Precision, m => m.Recall, m => m.Accuracy, m => m.Loss, m => m.F1];

        foreach (var metric in metrics)
        {
            for (var a = 0; a < curves.Count; a++)
            {
                for (var b = a + 1; b < curves.Count; b++)
                {
                    var signs = curves[a].Zip(curves[b], (x, y) => Math.Sign(metric(x) - metric(y))).Distinct().ToList();
                    Assert.Single(signs);
                }
            }
        }
    }

    [Fact]
    public void ToNamed_should_list_the_five_metrics_by_name()
    {
        var metrics = new FictitiousMetrics(0.1, 0.2, 0.3, 0.4, 0.5);

        Assert.Equal(FictitiousMetrics.Names, metrics.ToNamed().Select(p => p.Key));
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], metrics.ToNamed().Select(p => p.Value));
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
