using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperDrive.Training.Torch;

/// <summary>
/// The state after an epoch, in one file (<c>checkpoint.bin</c> in the checkpoint folder): the epoch, the metrics of
/// every epoch so far, a fingerprint of what was trained (a checkpoint of other hyperparameters or data is not
/// resumed), the shuffling generator's and the global generator's states, the model's and the optimizer's state.
/// Written to a temporary file and renamed over the last one, so a kill never leaves a torn checkpoint.
/// </summary>
public static class MlpCheckpoint
{
    public const string FileName = "checkpoint.bin";

    private const string Magic = "hyperdrive-mlp checkpoint 1";

    public static void Save(
        string directory,
        string fingerprint,
        IReadOnlyList<EpochMetrics> history,
        Generator shuffle,
        Generator global,
        nn.Module model,
        OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(shuffle);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var writer = new BinaryWriter(file))
        {
            writer.Write(Magic);
            writer.Write(fingerprint);
            writer.Write(history.Count);
            foreach (var e in history)
            {
                writer.Write(e.Epoch);
                writer.Write(e.Accuracy);
                writer.Write(e.Loss);
            }

            WriteState(writer, shuffle);
            WriteState(writer, global);
            model.save(writer);
            optimizer.save_state_dict(writer);
            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The history of the checkpoint in <paramref name="directory"/>, when there is one of the same fingerprint.</summary>
    public static IReadOnlyList<EpochMetrics>? Peek(string directory, string fingerprint)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file);
        return ReadHeader(reader) is ({ } stored, var history) && stored == fingerprint ? history : null;
    }

    /// <summary>Restores the generators, the model and the optimizer from the checkpoint (see <see cref="Peek"/>).</summary>
    public static void Restore(string directory, Generator shuffle, Generator global, nn.Module model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(shuffle);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var file = File.OpenRead(Path.Combine(directory, FileName));
        using var reader = new BinaryReader(file);
        _ = ReadHeader(reader);
        ReadState(reader, shuffle);
        ReadState(reader, global);
        model.load(reader);
        optimizer.load_state_dict(reader);
    }

    private static (string? Fingerprint, List<EpochMetrics> History) ReadHeader(BinaryReader reader)
    {
        try
        {
            if (reader.ReadString() != Magic)
            {
                return (null, []);
            }

            var fingerprint = reader.ReadString();
            var count = reader.ReadInt32();
            var history = new List<EpochMetrics>(count);
            for (var i = 0; i < count; i++)
            {
                history.Add(new EpochMetrics(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble()));
            }

            return (fingerprint, history);
        }
        catch (EndOfStreamException)
        {
            return (null, []);
        }
    }

    private static void WriteState(BinaryWriter writer, Generator generator)
    {
        using var state = generator.get_state();
        var bytes = state.data<byte>().ToArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static void ReadState(BinaryReader reader, Generator generator)
    {
        var bytes = reader.ReadBytes(reader.ReadInt32());
        using var state = tensor(bytes, dtype: ScalarType.Byte);
        generator.set_state(state);
    }
}
