using System.Globalization;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperDrive.Training.Torch;

/// <summary>
/// Trains <see cref="MlpNetwork"/> on a data set and reports each epoch as a metric line
/// (<c>hyperdrive: epoch=E accuracy=A loss=L</c>). Seeded: the global generator (weights, dropout) and the shuffling
/// generator both start from the seed. With a checkpoint folder, the state after every epoch is saved there; a run that
/// finds a checkpoint of the same trial there first repeats the recorded epochs' metric lines (a restarted attempt
/// starts with an empty history in the engine) and then continues from the next epoch.
/// </summary>
public sealed class MlpTrainer
{
    public const string ModelFileName = "model.bin";
    public const string ModelJsonFileName = "model.json";

    private readonly MlpHyperparameters _hp;
    private readonly MlpOptions _options;
    private readonly MlpDataset _data;
    private readonly Device _device;
    private readonly TextWriter _metrics;
    private readonly TextWriter _log;
    private readonly Func<bool> _engineGone;

    /// <param name="engineGone">Asked after each epoch's checkpoint: true stops training there (<see cref="MlpTrainingResult.Stopped"/>), no model saved.</param>
    public MlpTrainer(MlpHyperparameters hyperparameters, MlpOptions options, MlpDataset data, Device device, TextWriter metrics, TextWriter log, Func<bool>? engineGone = null)
    {
        _hp = hyperparameters;
        _options = options;
        _data = data;
        _device = device;
        _metrics = metrics;
        _log = log;
        _engineGone = engineGone ?? (() => false);
        Fingerprint = JsonSerializer.Serialize(new
        {
            learning_rate = _hp.LearningRate,
            batch_size = _hp.BatchSize,
            hidden_size = _hp.HiddenSize,
            optimizer = _hp.Optimizer,
            dropout = _hp.Dropout,
            seed = _options.Seed,
            data = _data.Source,
            features = _data.FeatureCount,
            classes = _data.ClassCount,
        });
    }

    /// <summary>What is trained: a checkpoint of anything else (other hyperparameters, data or seed) is not resumed.</summary>
    public string Fingerprint { get; }

    /// <returns>Every epoch's metrics (the replayed ones included) and the final parameters, flattened in module order.</returns>
    public MlpTrainingResult Run()
    {
        var global = manual_seed(_options.Seed);
        using var shuffle = new Generator((ulong)_options.Seed);
        using var model = new MlpNetwork(_data.FeatureCount, _hp.HiddenSize, _data.ClassCount, _hp.Dropout);
        model.to(_device);
        using var optimizer = _hp.Optimizer == "sgd"
            ? (OptimizerHelper)optim.SGD(model.parameters(), _hp.LearningRate, momentum: 0.9)
            : optim.Adam(model.parameters(), _hp.LearningRate);
        using var lossFunction = nn.CrossEntropyLoss();

        var history = new List<EpochMetrics>();
        if (_options.CheckpointDirectory is { } checkpoints)
        {
            var stored = MlpCheckpoint.Peek(checkpoints, Fingerprint);
            if (stored is { Count: > 0 })
            {
                MlpCheckpoint.Restore(checkpoints, shuffle, global, model, optimizer);
                history.AddRange(stored.Where(e => e.Epoch <= _hp.NumEpochs));
                _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hyperdrive-mlp: resumed from epoch {stored[^1].Epoch} of the checkpoint"));
                foreach (var e in history)
                {
                    Report(e);
                }
            }
            else if (File.Exists(Path.Combine(checkpoints, MlpCheckpoint.FileName)))
            {
                _log.WriteLine("hyperdrive-mlp: the checkpoint is of other hyperparameters, data or seed (or unreadable); starting from epoch 1");
            }
        }

        using var trainX = tensor(_data.TrainX, [_data.TrainRows, _data.FeatureCount]).to(_device);
        using var trainY = tensor(_data.TrainY).to(_device);
        using var testX = tensor(_data.TestX, [_data.TestRows, _data.FeatureCount]).to(_device);
        using var testY = tensor(_data.TestY).to(_device);

        for (var epoch = history.Count == 0 ? 1 : history[^1].Epoch + 1; epoch <= _hp.NumEpochs; epoch++)
        {
            var loss = TrainEpoch(model, optimizer, lossFunction, shuffle, trainX, trainY);
            var metrics = new EpochMetrics(epoch, Evaluate(model, testX, testY), loss);
            history.Add(metrics);
            Report(metrics);
            if (_options.CheckpointDirectory is { } directory)
            {
                MlpCheckpoint.Save(directory, Fingerprint, history, shuffle, global, model, optimizer);
            }

            if (epoch < _hp.NumEpochs && _engineGone())
            {
                // Nobody reads our metrics any more and a restarted attempt will resume from the checkpoint: free the CPU/GPU now.
                _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hyperdrive-mlp: the engine that started this trial is gone; stopped after epoch {epoch} (checkpoint kept)"));
                return new MlpTrainingResult(history, Flatten(model)) { Stopped = true };
            }
        }

        SaveModel(model, history);
        return new MlpTrainingResult(history, Flatten(model));
    }

    private double TrainEpoch(MlpNetwork model, OptimizerHelper optimizer, Loss<Tensor, Tensor, Tensor> lossFunction, Generator shuffle, Tensor x, Tensor y)
    {
        model.train();
        var rows = _data.TrainRows;
        using var order = randperm(rows, generator: shuffle).to(_device);
        var total = 0.0;
        for (var start = 0; start < rows; start += _hp.BatchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(_hp.BatchSize, rows - start);
            var batch = order.narrow(0, start, count);
            optimizer.zero_grad();
            var loss = lossFunction.call(model.call(x.index_select(0, batch)), y.index_select(0, batch));
            loss.backward();
            optimizer.step();
            total += loss.item<float>() * count;
        }

        return total / rows;
    }

    private static double Evaluate(MlpNetwork model, Tensor x, Tensor y)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var predicted = model.call(x).argmax(1);
        return predicted.eq(y).to_type(ScalarType.Float64).mean().item<double>();
    }

    private void Report(EpochMetrics e)
    {
        _metrics.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hyperdrive: epoch={e.Epoch} accuracy={e.Accuracy:R} loss={e.Loss:R}"));
        _metrics.Flush();
    }

    private void SaveModel(MlpNetwork model, List<EpochMetrics> history)
    {
        Directory.CreateDirectory(_options.OutputDirectory);
        var bin = Path.Combine(_options.OutputDirectory, ModelFileName);
        model.save(bin + ".tmp");
        File.Move(bin + ".tmp", bin, overwrite: true);

        var description = new Dictionary<string, object?>
        {
            ["trainer"] = "mlp",
            ["architecture"] = new Dictionary<string, object?>
            {
                ["layers"] = new[]
                {
                    $"Linear({_data.FeatureCount}, {_hp.HiddenSize})", "ReLU", $"Dropout({_hp.Dropout.ToString(CultureInfo.InvariantCulture)})",
                    $"Linear({_hp.HiddenSize}, {_hp.HiddenSize})", "ReLU", $"Dropout({_hp.Dropout.ToString(CultureInfo.InvariantCulture)})",
                    $"Linear({_hp.HiddenSize}, {_data.ClassCount})",
                },
                ["inputs"] = _data.FeatureCount,
                ["hidden_size"] = _hp.HiddenSize,
                ["classes"] = _data.ClassCount,
                ["state_dict"] = ModelFileName,
                ["parameters"] = model.named_parameters().Select(p => new { name = p.name, shape = p.parameter.shape }).ToList(),
            },
            ["hyperparameters"] = new Dictionary<string, object?>
            {
                ["learning_rate"] = _hp.LearningRate,
                ["num_epochs"] = _hp.NumEpochs,
                ["batch_size"] = _hp.BatchSize,
                ["hidden_size"] = _hp.HiddenSize,
                ["optimizer"] = _hp.Optimizer,
                ["dropout"] = _hp.Dropout,
            },
            ["seed"] = _options.Seed,
            ["data"] = new Dictionary<string, object?>
            {
                ["source"] = _data.Source,
                ["label"] = _options.Label,
                ["features"] = _data.FeatureNames,
                ["classes"] = _data.ClassNames,
                ["scaling"] = _data.Scaling,
                ["means"] = _data.Means,
                ["scales"] = _data.Scales,
                ["train_rows"] = _data.TrainRows,
                ["test_rows"] = _data.TestRows,
            },
            ["epochs"] = history.Select(e => new { epoch = e.Epoch, accuracy = e.Accuracy, loss = e.Loss }).ToList(),
            ["accuracy"] = history.Count > 0 ? history[^1].Accuracy : null,
            ["loss"] = history.Count > 0 ? history[^1].Loss : null,
        };
        var json = Path.Combine(_options.OutputDirectory, ModelJsonFileName);
        File.WriteAllText(json, JsonSerializer.Serialize(description, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static float[] Flatten(MlpNetwork model)
    {
        using var scope = NewDisposeScope();
        return model.parameters().SelectMany(p => p.detach().cpu().flatten().data<float>().ToArray()).ToArray();
    }
}
