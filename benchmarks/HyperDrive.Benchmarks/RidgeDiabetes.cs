using HyperDrive.Training.Builtins.Ridge;

namespace HyperDrive.Benchmarks;

/// <summary>
/// The ridge_diabetes objective of ../shared/bench/README.md §1: −(mean 5-fold CV R²) of ridge regression (penalty
/// α‖w‖², intercept not penalised) on data/diabetes, each feature centred and divided by its population standard
/// deviation and by √442; folds are contiguous rows 0–88, 89–177, 178–265, 266–353, 354–441 (scikit-learn's KFold(5)).
/// The maths is the built-in <c>ridge</c> trainer's (HyperDrive.Training/Builtins/Ridge), so both give the same numbers.
/// </summary>
public sealed class RidgeDiabetes
{
    private readonly RidgeCrossValidation _validation;

    private RidgeDiabetes(RidgeCrossValidation validation)
    {
        _validation = validation;
    }

    public static RidgeDiabetes Load(string folder)
    {
        var data = RidgeDataset.LoadDiabetes(folder);
        var x = FeatureScaling.Fit(data.X, FeatureScaling.SumOfSquares).Apply(data.X);
        return new RidgeDiabetes(new RidgeCrossValidation(x, data.Y, RidgeValidation.KFold(5)));
    }

    /// <summary>The objective to minimise: −(mean cross-validated R²).</summary>
    public double Loss(double alpha, bool fitIntercept) => -_validation.MeanScore(alpha, fitIntercept);
}
