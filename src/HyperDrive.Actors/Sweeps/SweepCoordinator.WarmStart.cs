using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using HyperDrive.Core.History;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// Warm start (<c>resume_from</c>): before a sweep is accepted, the sweeps it names are read from the journal
/// (<see cref="SweepStateReader"/>, never waking their coordinators), checked, and their finished trials recorded with
/// the submission (<see cref="WarmStartLoaded"/>). Messages that arrive meanwhile wait in the stash.
/// </summary>
public sealed partial class SweepCoordinator
{
    private void LoadParents(SubmitSweep submit, SweepSpec spec, IActorRef sender)
    {
        var ids = spec.ResumeFrom;
        var errors = new List<string>();
        foreach (var duplicate in ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"resume_from: sweep '{duplicate.Key}' is listed {duplicate.Count()} times");
        }

        if (ids.Contains(_sweepId))
        {
            errors.Add($"resume_from: a sweep cannot warm-start from itself ('{_sweepId}')");
        }

        if (errors.Count > 0)
        {
            sender.Tell(new SweepRejected(_sweepId, [.. errors]));
            return;
        }

        var read = new Dictionary<string, SweepStateRead>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            Context.ActorOf(SweepStateReader.Props(id, Self));
        }

        Timers.StartSingleTimer(nameof(ParentsTimeout), ParentsTimeout.Instance, _settings.ParentReadTimeout);
        BecomeStacked(() =>
        {
            Command<SweepStateRead>(r =>
            {
                read[r.SweepId] = r;
                if (read.Count < ids.Length)
                {
                    return;
                }

                Timers.Cancel(nameof(ParentsTimeout));
                UnbecomeStacked();
                Stash.UnstashAll();
                Accept(submit, spec, sender, ids, [.. ids.Select(id => read[id])]);
            });
            Command<ParentsTimeout>(_ =>
            {
                UnbecomeStacked();
                Stash.UnstashAll();
                var missing = ids.Where(id => !read.ContainsKey(id));
                sender.Tell(new SweepRejected(_sweepId,
                    [$"resume_from: the journal did not answer for {string.Join(", ", missing)} within {_settings.ParentReadTimeout.TotalSeconds:0} s"]));
            });
            CommandAny(_ => Stash.Stash());
        });
    }

    /// <summary>The checks Azure makes on <c>resume_from</c> (same primary metric and goal, parents ended) and the priors, or the errors.</summary>
    private void Accept(SubmitSweep submit, SweepSpec spec, IActorRef sender, ImmutableArray<string> ids, IReadOnlyList<SweepStateRead> parents)
    {
        var errors = new List<string>();
        var priors = ImmutableArray.CreateBuilder<PriorTrial>();
        var outside = 0;
        var options = spec.Sampling.ToSamplingOptions();
        var mine = spec.SearchSpace.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < parents.Count; i++)
        {
            var (id, state, error) = parents[i];
            var path = $"resume_from[{i}]";
            if (error is not null)
            {
                errors.Add($"{path}: sweep '{id}' could not be read from the journal: {error}");
                continue;
            }

            if (state.Status == SweepStatus.None)
            {
                errors.Add($"{path}: there is no sweep '{id}' in this installation's journal");
                continue;
            }

            if (!state.IsEnded)
            {
                errors.Add($"{path}: sweep '{id}' is still running; only ended (completed or canceled) sweeps can warm-start another");
                continue;
            }

            var theirs = state.History.Objective;
            if (theirs != spec.Objective)
            {
                errors.Add($"{path}: sweep '{id}' has objective {theirs.PrimaryMetric} ({theirs.Goal.ToString().ToLowerInvariant()}), this sweep "
                    + $"{spec.Objective.PrimaryMetric} ({spec.Objective.Goal.ToString().ToLowerInvariant()}): warm start needs the same primary metric and goal");
                continue;
            }

            var parentNames = state.Spec!.SearchSpace.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
            if (!mine.SequenceEqual(parentNames))
            {
                errors.Add($"{path}: sweep '{id}' searched parameters {string.Join(", ", parentNames)}, this sweep {string.Join(", ", mine)}: "
                    + "warm start needs the same parameter names");
                continue;
            }

            foreach (var trial in state.History.Trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Canceled && t.FinalValue is not null))
            {
                if (spec.SearchSpace.Contains(trial.Parameters, options))
                {
                    priors.Add(new PriorTrial(id, trial.Number, trial.Parameters, trial.Status, trial.FinalValue!.Value));
                }
                else
                {
                    outside++;
                }
            }
        }

        if (errors.Count > 0)
        {
            sender.Tell(new SweepRejected(_sweepId, [.. errors]));
            return;
        }

        var now = _settings.Clock();
        var loaded = new WarmStartLoaded(ids, priors.ToImmutable(), now);
        PersistAndApply([new SweepSubmitted(_sweepId, submit.SpecText, submit.SpecDirectory, submit.SourceFile, submit.Seed, now), loaded], () =>
        {
            sender.Tell(new SweepAccepted(_sweepId));
            _log.Info("Sweep {0} submitted: its coordinator runs on node {1}; warm start from {2}: {3} trials{4}{5}", _sweepId, _settings.Node,
                string.Join(", ", ids), loaded.Trials.Length,
                outside > 0 ? $" ({outside} outside this sweep's space left out)" : "",
                SamplerRegistry.LearnFromResults.Contains(SamplerName(spec)) ? "" : $" (the {SamplerName(spec)} sampler does not learn from results: they are recorded only)");
            ScheduleDeadline();
            FillSlots();
        });
        WarmStart(spec, loaded.Trials);
    }

    /// <summary>Shows the priors to a sampler that learns from results; other samplers are left as they are.</summary>
    private void WarmStart(SweepSpec spec, ImmutableArray<PriorTrial> priors)
    {
        if (_sampler is null || priors.IsDefaultOrEmpty || !SamplerRegistry.LearnFromResults.Contains(SamplerName(spec)))
        {
            return;
        }

        _sampler = new WarmStartSampler(_sampler, PriorRecords(priors));
    }

    /// <summary>The priors as finished trial records, as a sampler or a plug-in sees them.</summary>
    private static IEnumerable<TrialRecord> PriorRecords(ImmutableArray<PriorTrial> priors) =>
        priors.Select(p => WarmStartSampler.Prior(p.Parameters, p.Status, p.Value));

    private static string SamplerName(SweepSpec spec) => spec.Sampling.Type.Trim().ToLowerInvariant();

    private sealed class ParentsTimeout
    {
        public static readonly ParentsTimeout Instance = new();

        private ParentsTimeout()
        {
        }
    }
}
