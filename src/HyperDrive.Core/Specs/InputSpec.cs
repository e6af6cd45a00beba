using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Specs;

/// <summary>An input: a literal value (<c>42</c>, <c>{value: 42}</c>) or a local path (<c>{type, path}</c>).</summary>
public sealed record InputSpec(string Name, ParameterValue? Value, string? Path);
