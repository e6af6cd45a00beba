namespace HyperDrive.Core.Sampling.Tpe;

/// <summary>
/// One dimension of a <see cref="ParzenEstimator"/> in its model coordinates: a numeric range [Low, High] with a step Q
/// for levels (Optuna's discrete handling: levels k = 0..K−1 over [−0.5, K − 0.5], each taking the mass of
/// [k − ½, k + ½]), or a number of categories.
/// </summary>
internal sealed record ParzenDimension(double Low, double High, double? Q, int Categories)
{
    public bool IsCategorical => Categories > 0;

    public static ParzenDimension Of(EncodedDimension dimension) => dimension.Kind switch
    {
        DimensionKind.Categorical => new ParzenDimension(0, 0, null, (int)dimension.Levels),
        DimensionKind.Discrete => new ParzenDimension(-0.5, dimension.Levels - 0.5, 1, 0),
        _ => new ParzenDimension(0, 1, null, 0),
    };
}
