namespace HyperDrive.Core.Models;

/// <summary>What the fictitious model reports for one epoch (DESIGN §7).</summary>
public sealed record FictitiousMetrics(double Precision, double Recall, double Accuracy, double Loss, double F1)
{
    /// <summary>The metric names a trial reports, in this order.</summary>
    public static readonly IReadOnlyList<string> Names = ["precision", "recall", "accuracy", "loss", "f1"];

    /// <summary>The values by name (<c>precision</c>, <c>recall</c>, <c>accuracy</c>, <c>loss</c>, <c>f1</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToNamed() =>
    [
        KeyValuePair.Create("precision", Precision),
        KeyValuePair.Create("recall", Recall),
        KeyValuePair.Create("accuracy", Accuracy),
        KeyValuePair.Create("loss", Loss),
        KeyValuePair.Create("f1", F1),
    ];
}
