using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>A fitted ridge model: prediction = X·w + intercept, in the space of the features it was fitted on.</summary>
public sealed record RidgeModel(Vector<double> Coefficients, double Intercept)
{
    public Vector<double> Predict(Matrix<double> x) => x * Coefficients + Intercept;
}
