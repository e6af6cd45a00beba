namespace HyperDrive.Actors.Tests.Support;

/// <summary>Sweep files the specs submit (the fictitious builtin: no process, no I/O).</summary>
internal static class TestSpecs
{
    public static string Fictitious(int maxTotal, int maxConcurrent, string extra = "") => $$"""
        name: spec-test
        trial:
          builtin: fictitious
        sampling_algorithm: { type: random, seed: 3 }
        search_space:
          thr: { type: uniform, min_value: 0, max_value: 1 }
          epoch: { type: choice, values: [10, 20] }
          lr: { type: loguniform, min_value: -9, max_value: -1 }
        objective: { primary_metric: accuracy, goal: maximize }
        limits: { max_total_trials: {{maxTotal}}, max_concurrent_trials: {{maxConcurrent}} }
        {{extra}}
        """;
}
