namespace HyperDrive.Core.Spaces;

/// <summary>A named parameter of a search space.</summary>
public sealed record SearchParameter(string Name, ParameterExpression Expression);
