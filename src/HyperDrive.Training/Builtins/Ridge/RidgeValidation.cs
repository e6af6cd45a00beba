using System.Collections.Immutable;
using System.Globalization;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>
/// How R² is measured: k contiguous folds (scikit-learn's unshuffled KFold: the first n mod k folds hold one row
/// more) or one held-out fraction, the last rows of the data. Both are contiguous, so a result never depends on a seed.
/// </summary>
public sealed record RidgeValidation
{
    private RidgeValidation(int? folds, double? holdout)
    {
        Folds = folds;
        Holdout = holdout;
    }

    /// <summary>The number of folds; null for a held-out fraction.</summary>
    public int? Folds { get; }

    /// <summary>The held-out fraction of rows; null for folds.</summary>
    public double? Holdout { get; }

    public static RidgeValidation KFold(int folds) =>
        folds >= 2 ? new RidgeValidation(folds, null) : throw new RidgeDataException($"ridge: folds = {folds} must be an integer ≥ 2");

    public static RidgeValidation HeldOut(double fraction) =>
        fraction is > 0 and < 1
            ? new RidgeValidation(null, fraction)
            : throw new RidgeDataException(FormattableString.Invariant($"ridge: holdout = {fraction} must lie strictly between 0 and 1"));

    /// <summary>The test rows of each split as (first row, row count); every other row trains.</summary>
    public ImmutableArray<(int Start, int Count)> TestRanges(int rows)
    {
        if (Folds is { } k)
        {
            if (rows < 2 * k)
            {
                throw new RidgeDataException($"ridge: {k} folds need at least {2 * k} rows (2 per fold); the data has {rows}");
            }

            var ranges = ImmutableArray.CreateBuilder<(int, int)>(k);
            var start = 0;
            for (var f = 0; f < k; f++)
            {
                var count = rows / k + (f < rows % k ? 1 : 0);
                ranges.Add((start, count));
                start += count;
            }

            return ranges.MoveToImmutable();
        }

        var test = (int)Math.Round(rows * Holdout!.Value, MidpointRounding.AwayFromZero);
        if (test < 2 || rows - test < 2)
        {
            throw new RidgeDataException(string.Create(CultureInfo.InvariantCulture,
                $"ridge: holdout = {Holdout} of {rows} rows leaves {test} test and {rows - test} training rows; both need at least 2"));
        }

        return [(rows - test, test)];
    }

    public override string ToString() =>
        Folds is { } k ? $"{k} folds" : string.Create(CultureInfo.InvariantCulture, $"holdout {Holdout}");
}
