using System.Collections.Immutable;

namespace HyperDrive.Core.Models;

/// <summary>
/// The deterministic model of the HyperDrive multi-step pipeline sample (DESIGN §7), as a pure function of the
/// hyperparameters <c>thr</c> (threshold, [0, 1]), <c>epoch</c> (integer, [1, 80]) and <c>lr</c> ((0, 1)) and the
/// current epoch <c>e</c> (1..epoch). With z = log10(lr):
/// precision_thr = 0.1 + 0.9 / (1 + 5000·exp(−20·thr)); recall_thr = 1 / (1 + 1e−5·exp(20·thr));
/// loss_e = 3 + 7·exp(−0.05·e); accuracy_e = 0.95 − 3·(log10(3 − 0.025·e))²;
/// loss_lr = 0.6 + (log10(0.9 − z))²; accuracy_lr = 0.98 − (log10(0.7 − 0.5·z))²;
/// accuracy = accuracy_e²·accuracy_lr; precision = precision_thr·accuracy_e·accuracy_lr;
/// recall = recall_thr·accuracy_e·accuracy_lr; loss = loss_e·loss_lr; F1 = 2·precision·recall / (precision + recall).
/// Every metric is a factor of (thr, lr) times a positive factor of e, so curves of different trials never cross.
/// </summary>
public static class FictitiousModel
{
    public const int MaxEpochs = 80;

    public static FictitiousMetrics Evaluate(double thr, int epochs, double lr, int e)
    {
        Validate(thr, epochs, lr);
        if (e < 1 || e > epochs)
        {
            throw new FictitiousDomainException("e", e, $"1..{epochs} (the epoch hyperparameter)");
        }

        return Compute(thr, lr, e);
    }

    /// <summary>The metrics of epochs 1..<paramref name="epochs"/>; element <c>i</c> is epoch <c>i + 1</c>.</summary>
    public static ImmutableArray<FictitiousMetrics> Curve(double thr, int epochs, double lr)
    {
        Validate(thr, epochs, lr);
        var curve = ImmutableArray.CreateBuilder<FictitiousMetrics>(epochs);
        for (var e = 1; e <= epochs; e++)
        {
            curve.Add(Compute(thr, lr, e));
        }

        return curve.MoveToImmutable();
    }

    private static void Validate(double thr, int epochs, double lr)
    {
        if (!(thr >= 0 && thr <= 1))
        {
            throw new FictitiousDomainException("thr", thr, "[0, 1]");
        }

        if (epochs < 1 || epochs > MaxEpochs)
        {
            throw new FictitiousDomainException("epoch", epochs, $"[1, {MaxEpochs}]");
        }

        if (!(lr > 0 && lr < 1))
        {
            throw new FictitiousDomainException("lr", lr, "(0, 1)");
        }
    }

    private static FictitiousMetrics Compute(double thr, double lr, int e)
    {
        var z = Math.Log10(lr);
        var precisionThr = 0.1 + (0.9 / (1 + (5000 * Math.Exp(-20 * thr))));
        var recallThr = 1 / (1 + (1e-5 * Math.Exp(20 * thr)));
        var lossE = 3 + (7 * Math.Exp(-0.05 * e));
        var accuracyE = 0.95 - (3 * Square(Math.Log10(3 - (0.025 * e))));
        var lossLr = 0.6 + Square(Math.Log10(0.9 - z));
        var accuracyLr = 0.98 - Square(Math.Log10(0.7 - (0.5 * z)));

        var accuracy = accuracyE * accuracyE * accuracyLr;
        var precision = precisionThr * accuracyE * accuracyLr;
        var recall = recallThr * accuracyE * accuracyLr;
        var loss = lossE * lossLr;
        var sum = precision + recall;
        var f1 = sum == 0 ? 0 : 2 * precision * recall / sum;
        return new FictitiousMetrics(precision, recall, accuracy, loss, f1);
    }

    private static double Square(double x) => x * x;
}
