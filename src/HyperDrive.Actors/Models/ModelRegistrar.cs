using Akka.Actor;
using Akka.Event;
using HyperDrive.Actors.Sweeps;

namespace HyperDrive.Actors.Models;

/// <summary>
/// A cluster coordinator node's <c>register_best</c>: when a sweep hosted here ends (<see cref="SweepEnded"/> on this
/// node's event stream), registers its best trial in this node's model registry, reading the trial's outputs from
/// the artifact store (the workers uploaded them; no shared file system). One registration at a time; the outcome is
/// logged (node log) and published as a <see cref="ModelRegistration"/>. The embedded engine registers from the
/// console session instead, where the user sees the line.
/// </summary>
public sealed class ModelRegistrar : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ModelRegistry _registry;

    public ModelRegistrar(ModelRegistry registry)
    {
        _registry = registry;
        ReceiveAsync<SweepEnded>(OnEndedAsync);
    }

    public static Props Props(ModelRegistry registry) => Akka.Actor.Props.Create(() => new ModelRegistrar(registry));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(SweepEnded));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private async Task OnEndedAsync(SweepEnded ended)
    {
        if (ended.State.Spec?.RegisterBest is not { } registerBest)
        {
            return;
        }

        try
        {
            var registration = await _registry.RegisterBestAsync(ended.State, registerBest);
            _log.Info("{0}", registration.Message);
            Context.System.EventStream.Publish(registration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            // A registration failure never touches the sweep: it has ended and its journal is complete.
            _log.Error(e, "Model '{0}': registering the best trial of {1} failed: {2}", registerBest.Model, ended.State.SweepId, e.Message);
        }
    }
}
