namespace HyperDrive.Core.Specs;

/// <summary><c>register_best: {model: NAME, only_if_better: true}</c>.</summary>
public sealed record RegisterBestSpec(string Model, bool OnlyIfBetter);
