namespace HyperDrive.Core.Specs;

/// <summary>Per-trial resources (<c>trial.resources</c>).</summary>
public sealed record ResourcesSpec
{
    /// <summary>GPUs per trial; fractional values (0.5) pack several trials on one GPU.</summary>
    public double Gpus { get; init; }

    /// <summary>GPU memory a trial needs, in bytes (<c>gpu_memory: 8GB</c>); null when not given.</summary>
    public long? GpuMemoryBytes { get; init; }

    /// <summary>Fail rather than run on the CPU when no GPU is present.</summary>
    public bool RequireGpu { get; init; }
}
