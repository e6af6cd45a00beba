using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Turns <c>sampling_algorithm</c> into an <see cref="ISampler"/>. A sampler that is known but not built yet
/// is refused with a <see cref="SpecException"/> that says so; it is never replaced by another.
/// </summary>
public static class SamplerRegistry
{
    public static ISampler Create(SweepSpec spec) => throw new NotImplementedException();
}
