using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using HyperDrive.Core.History;
using HyperDrive.Core.Sampling;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// Sampler plug-ins (<c>sampling_algorithm: {type: plugin}</c>): a child <see cref="SamplerPluginActor"/> owns the
/// process; <see cref="FillSlots"/> asks it for exactly the proposals it needs, one request at a time, and goes on when
/// the answer arrives. The proposals and the plug-in's state are journaled in one write; a recovered coordinator's
/// plug-in gets the latest state back (set_state) before its first search. A plug-in that breaks the protocol ends the
/// sweep with the reason (running trials are stopped, as at the sweep's timeout); the coordinator carries on.
/// </summary>
public sealed partial class SweepCoordinator
{
    private IActorRef? _plugin;
    private int _pluginRequests;

    // The id of the search in flight; 0 when none.
    private int _pluginRequest;

    private void DefinePlugin()
    {
        Command<PluginProposals>(OnPluginProposals);
        Command<PluginFailed>(OnPluginFailed);
    }

    /// <summary>For <see cref="FillSlots"/>: true when the sampler is a plug-in, which is then asked (unless a search is already in flight).</summary>
    private bool AskPlugin(SweepState projected)
    {
        if (_sampler is not PluginSampler plugin)
        {
            return false;
        }

        if (_pluginRequest != 0)
        {
            return true;
        }

        var count = Math.Min(MaxConcurrent - projected.ActiveCount, MaxTotal - projected.ProposedCount);
        _plugin ??= Context.ActorOf(SamplerPluginActor.Props(plugin, _state.SpecDirectory, _state.SamplerState), "sampler-plugin");
        _pluginRequest = ++_pluginRequests;
        _plugin.Tell(new PluginSearch(_pluginRequest, count, projected.History)
        {
            WarmStart = [.. PriorRecords(_state.Priors)],
        });
        return true;
    }

    private void OnPluginProposals(PluginProposals answer)
    {
        if (answer.RequestId != _pluginRequest)
        {
            return;
        }

        _pluginRequest = 0;
        if (_state.Status != SweepStatus.Running)
        {
            return;
        }

        var projected = _state;
        var events = new List<ISweepEvent>();
        var starts = new List<int>();
        var now = _settings.Clock();
        _waiting = null;
        foreach (var proposal in answer.Proposals)
        {
            if (projected.ProposedCount >= MaxTotal)
            {
                break;
            }

            var number = projected.ProposedCount + 1;
            var proposed = new TrialProposed(number, proposal, now);
            projected = projected.Apply(proposed);
            events.Add(proposed);
            if (_waiting is null && _unplaceable is null && TryStart(number, 1, now, ref projected, events))
            {
                starts.Add(number);
            }
        }

        if (answer.Proposals.IsEmpty)
        {
            _exhausted = true;
            _log.Info("Sweep {0}: the sampler plug-in has nothing left to propose", _sweepId);
        }

        if (answer.StateJson is { } state && state != _state.SamplerState)
        {
            events.Add(new SamplerStateSaved(state, now));
        }

        if (events.Count == 0)
        {
            FillSlots();
            return;
        }

        PersistAndApply(events, () =>
        {
            foreach (var number in starts)
            {
                Dispatch(number);
            }

            FillSlots();
        });
    }

    /// <summary>The plug-in crashed, hung or lied: the sweep ends with its reason; queued trials are canceled and running ones stopped.</summary>
    private void OnPluginFailed(PluginFailed failed)
    {
        if (failed.RequestId != _pluginRequest)
        {
            return;
        }

        _pluginRequest = 0;
        if (_plugin is not null)
        {
            Context.Stop(_plugin);
            _plugin = null;
        }

        if (_state.Status != SweepStatus.Running)
        {
            return;
        }

        _log.Error("Sweep {0}: {1}", _sweepId, failed.Reason);
        EndSweep(failed.Reason, "plugin", failed: true);
    }
}
