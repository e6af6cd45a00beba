using HyperDrive.Training.Torch.Tests.Support;
using TorchSharp;

namespace HyperDrive.Training.Torch.Tests;

[Collection(nameof(TorchCollection))]
public sealed class MlpTrainerTests : IDisposable
{
    private static readonly Lazy<MlpDataset> Digits = new(() => MlpDataset.LoadDigits(MlpDataset.DefaultDigitsPath));
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Digits_should_split_every_fifth_row_into_the_test_set_and_scale_pixels_to_0_1()
    {
        var data = Digits.Value;

        Assert.Equal(1438, data.TrainRows);
        Assert.Equal(359, data.TestRows);
        Assert.Equal(64, data.FeatureCount);
        Assert.Equal(10, data.ClassCount);
        Assert.InRange(data.TrainX.Min(), 0f, 0f);
        Assert.InRange(data.TrainX.Max(), 1f, 1f);
        // Every value is a multiple of 1/16.
        Assert.All(data.TestX, v => Assert.Equal(v * 16, MathF.Round(v * 16)));
    }

    [Fact]
    public void Training_should_reach_90_percent_test_accuracy_on_digits_in_five_epochs()
    {
        var result = Train(new MlpHyperparameters { NumEpochs = 5 }, checkpoints: null, out var lines);

        Assert.Equal([1, 2, 3, 4, 5], result.History.Select(e => e.Epoch));
        Assert.True(result.History[^1].Accuracy >= 0.9, $"accuracy {result.History[^1].Accuracy}");
        Assert.True(result.History[^1].Loss < result.History[0].Loss);
        Assert.Equal(5, lines.Count(l => l.StartsWith("hyperdrive: epoch=", StringComparison.Ordinal)));
        Assert.Contains("hyperdrive: epoch=5 accuracy=", lines[^1], StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.Combine("outputs", MlpTrainer.ModelFileName)));
        Assert.Contains("\"hidden_size\": 100", File.ReadAllText(_temp.Combine("outputs", MlpTrainer.ModelJsonFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_resumed_from_the_checkpoint_of_epoch_3_should_end_as_an_uninterrupted_run_of_6_epochs()
    {
        var uninterrupted = Train(new MlpHyperparameters { NumEpochs = 6 }, _temp.Combine("straight"), out _);

        var checkpoints = _temp.Combine("resumed");
        var first = Train(new MlpHyperparameters { NumEpochs = 3 }, checkpoints, out _);
        var resumed = Train(new MlpHyperparameters { NumEpochs = 6 }, checkpoints, out var lines);

        Assert.Equal(uninterrupted.History.Take(3), first.History);
        // Bitwise: the same batches (generator state), the same Adam moments, the same weights.
        Assert.Equal(uninterrupted.History, resumed.History);
        Assert.Equal(uninterrupted.Parameters, resumed.Parameters);
        // The restarted attempt repeats epochs 1..3 from the checkpoint (its history in the engine starts empty).
        Assert.Equal(6, lines.Count(l => l.StartsWith("hyperdrive: epoch=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Training_should_stop_after_the_epoch_in_which_the_engine_is_gone_keeping_that_epochs_checkpoint()
    {
        var checkpoints = _temp.Combine("checkpoints");
        var options = new MlpOptions { ConfigPath = "unused", OutputDirectory = _temp.Combine("stopped-outputs"), CheckpointDirectory = checkpoints };
        var asked = 0;

        var stopped = new MlpTrainer(new MlpHyperparameters { NumEpochs = 5, HiddenSize = 20 }, options, Digits.Value, torch.CPU, TextWriter.Null, TextWriter.Null,
            engineGone: () => ++asked == 2).Run();

        Assert.True(stopped.Stopped);
        Assert.Equal([1, 2], stopped.History.Select(e => e.Epoch));
        Assert.False(Directory.Exists(options.OutputDirectory) && Directory.EnumerateFiles(options.OutputDirectory).Any(), "a stopped run saves no model");
        var resumed = Train(new MlpHyperparameters { NumEpochs = 5, HiddenSize = 20 }, checkpoints, out var lines);
        var straight = Train(new MlpHyperparameters { NumEpochs = 5, HiddenSize = 20 }, null, out _);
        Assert.False(resumed.Stopped);
        Assert.Equal(straight.History, resumed.History);
        Assert.Equal(5, lines.Count);
    }

    [Fact]
    public void A_checkpoint_of_other_hyperparameters_should_not_be_resumed()
    {
        var checkpoints = _temp.Combine("checkpoints");
        Train(new MlpHyperparameters { NumEpochs = 1, HiddenSize = 20 }, checkpoints, out _);

        var fresh = Train(new MlpHyperparameters { NumEpochs = 2, HiddenSize = 30 }, checkpoints, out _);
        var alone = Train(new MlpHyperparameters { NumEpochs = 2, HiddenSize = 30 }, null, out _);

        Assert.Equal(alone.History, fresh.History);
    }

    [Fact]
    public void A_user_csv_should_get_classes_in_sorted_order_and_features_of_zero_mean_and_unit_variance()
    {
        var csv = _temp.Combine("points.csv");
        var rows = Enumerable.Range(0, 50).Select(i => FormattableString.Invariant($"{i},{i * 3 % 7},{(i % 2 == 0 ? "even" : "odd")}"));
        File.WriteAllLines(csv, ["a,b,parity", .. rows]);

        var data = MlpDataset.LoadCsv(csv, "parity");

        Assert.Equal(["even", "odd"], data.ClassNames);
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(40, data.TrainRows);
        for (var j = 0; j < 2; j++)
        {
            var column = Enumerable.Range(0, data.TrainRows).Select(r => (double)data.TrainX[(r * 2) + j]).ToList();
            Assert.Equal(0, column.Average(), 5);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 5);
        }

        // Row 4 (a test row) has a = 4, b = 5, even.
        Assert.Equal(0, data.TestY[0]);
        Assert.Equal((4 - data.Means![0]) / data.Scales![0], data.TestX[0], 5);
    }

    private MlpTrainingResult Train(MlpHyperparameters hp, string? checkpoints, out List<string> lines)
    {
        var options = new MlpOptions { ConfigPath = "unused", OutputDirectory = _temp.Combine("outputs"), CheckpointDirectory = checkpoints };
        using var metrics = new StringWriter();
        var result = new MlpTrainer(hp, options, Digits.Value, torch.CPU, metrics, TextWriter.Null).Run();
        lines = metrics.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        return result;
    }
}
