using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// The <c>plugin</c> sampler as Core knows it: the space, the seed and how to start the plug-in. A plug-in is a
/// process, so Core cannot ask it: the engine recognises this type and asks the process asynchronously, then checks
/// every answer with <see cref="SpaceConformance"/>. <see cref="Propose"/> is never called by the engine and throws.
/// </summary>
public sealed class PluginSampler : ISampler
{
    public PluginSampler(SearchSpace space, long seed, PluginOptions plugin, SamplingOptions options)
    {
        Space = space;
        Seed = seed;
        Plugin = plugin;
        SamplingOptions = options;
    }

    public string Name => "plugin";

    public SearchSpace Space { get; }

    public long Seed { get; }

    public PluginOptions Plugin { get; }

    public SamplingOptions SamplingOptions { get; }

    public ParameterSet? Propose(SweepHistory history) =>
        throw new InvalidOperationException(
            $"the plugin sampler runs as a process ({Plugin.Command}): the engine asks it for proposals; it cannot propose in-process");
}
