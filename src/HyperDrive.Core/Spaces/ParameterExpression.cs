using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>
/// One of Azure's ten parameter expressions (plus <see cref="FixedExpression"/> for the constants of a
/// nested choice branch). Each maps a uniform draw u in [0, 1) to a value through its inverse CDF, so the
/// random and the Sobol samplers share one definition of every distribution.
/// </summary>
public abstract record ParameterExpression
{
    /// <summary>Azure's name of the expression: <c>uniform</c>, <c>choice</c>, …</summary>
    public abstract string Kind { get; }

    /// <summary>True for expressions whose values are not ordered (choice); samplers treat them as categories.</summary>
    public virtual bool IsCategorical => false;

    /// <summary>The value for a unit draw u in [0, 1).</summary>
    public abstract ParameterValue FromUnit(double u, SamplingOptions options);

    /// <summary>True when the value lies in the support of the expression (the set of values it can produce).</summary>
    public abstract bool Contains(ParameterValue value, SamplingOptions options);

    /// <summary>The expression form, e.g. <c>loguniform(-9.2, -2.3)</c>.</summary>
    public abstract string ToExpressionString();

    public sealed override string ToString() => ToExpressionString();
}
