using Akka.Actor;
using Akka.Event;
using HyperDrive.Core.Sampling;
using HyperDrive.Training.Plugins;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// Owns a sweep's sampler plug-in process so that its coordinator never waits on it: each <see cref="PluginSearch"/>
/// runs off the actor's thread (set_state first when there is a state to restore and this process has not had it,
/// then search, then get_state) and its answer comes back as a message. The process starts with the first search and
/// is killed, with its process group, when the actor stops.
/// </summary>
public sealed class SamplerPluginActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PluginSampler _sampler;
    private readonly string _specDirectory;
    private string? _restoreState;
    private SamplerPluginProcess? _process;
    private IActorRef? _asker;

    public SamplerPluginActor(PluginSampler sampler, string specDirectory, string? restoreState)
    {
        _sampler = sampler;
        _specDirectory = specDirectory;
        _restoreState = restoreState;
        Receive<PluginSearch>(OnSearch);
        Receive<PluginProposals>(Answer);
        Receive<PluginFailed>(Answer);
    }

    public static Props Props(PluginSampler sampler, string specDirectory, string? restoreState) =>
        Akka.Actor.Props.Create(() => new SamplerPluginActor(sampler, specDirectory, restoreState));

    protected override void PostStop()
    {
        _process?.Dispose();
        base.PostStop();
    }

    private void OnSearch(PluginSearch search)
    {
        if (_asker is not null)
        {
            Sender.Tell(new PluginFailed(search.RequestId, $"sampler plug-in `{_sampler.Plugin.Command}`: a search was asked while another was running"));
            return;
        }

        if (_process is null)
        {
            try
            {
                _process = SamplerPluginProcess.Start(_sampler, _specDirectory);
                _log.Info("Sampler plug-in `{0}` started (pid {1})", _sampler.Plugin.Command, _process.ProcessId);
            }
            catch (SamplerPluginException e)
            {
                Sender.Tell(new PluginFailed(search.RequestId, e.Message));
                return;
            }
        }

        _asker = Sender;
        var process = _process;
        var restore = _restoreState;
        _restoreState = null;
        RunAsync(process, search, restore).PipeTo(Self, success: answer => answer, failure: e => new PluginFailed(search.RequestId, e switch
        {
            SamplerPluginException plugin => plugin.Message,
            AggregateException { InnerException: SamplerPluginException plugin } => plugin.Message,
            _ => $"sampler plug-in `{_sampler.Plugin.Command}` failed: {e.GetBaseException().Message}",
        }));
    }

    private void Answer(object answer)
    {
        _asker?.Tell(answer);
        _asker = null;
    }

    private static async Task<object> RunAsync(SamplerPluginProcess process, PluginSearch search, string? restore)
    {
        if (restore is not null)
        {
            await process.SetStateAsync(restore).ConfigureAwait(false);
        }

        var proposals = await process.SearchAsync(search.Count, search.History, search.WarmStart).ConfigureAwait(false);
        var state = await process.GetStateAsync().ConfigureAwait(false);
        return new PluginProposals(search.RequestId, proposals, state);
    }
}
