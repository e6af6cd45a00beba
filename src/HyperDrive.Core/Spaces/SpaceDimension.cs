namespace HyperDrive.Core.Spaces;

/// <summary>
/// One dimension of the unit cube a space is sampled from: a parameter expression at a path.
/// Branch members are addressed <c>model[1].lr</c> (option index 1 of choice <c>model</c>).
/// </summary>
public sealed record SpaceDimension(int Index, string Path, ParameterExpression Expression);
