using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// <c>sampling_algorithm: {type: plugin, command, code, environment_variables, timeout, options}</c>: how to start a
/// sampler plug-in (a process speaking JSON lines) and what to hand it. Read from the spec; nothing is started here.
/// </summary>
public sealed record PluginOptions
{
    /// <summary>Seconds a plug-in has to answer one request when <c>timeout</c> is absent.</summary>
    public const double DefaultTimeoutSeconds = 60;

    /// <summary>The command line, split into an argument vector by the engine (never given to a shell).</summary>
    public required string Command { get; init; }

    /// <summary>The working directory, relative to the sweep file's folder; null: that folder.</summary>
    public string? Code { get; init; }

    public ImmutableSortedDictionary<string, string> EnvironmentVariables { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Seconds the plug-in has to answer each request.</summary>
    public double TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary>Free-form options handed to the plug-in in every search request (WMLA's algoParams).</summary>
    public MapValue Options { get; init; } = new([]);

    public static PluginOptions Read(SamplingSpec sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        const string path = "sampling_algorithm";
        var errors = ImmutableArray.CreateBuilder<SpecDiagnostic>();
        var options = sampling.Options;
        string? command = null;
        switch (options["command"])
        {
            case TextValue { Value: var text } when !string.IsNullOrWhiteSpace(text):
                command = text;
                break;
            case null:
                errors.Add(SpecDiagnostic.Error(path + ".command", "the plugin sampler needs a command: {type: plugin, command: ./my_sampler}"));
                break;
            case var other:
                errors.Add(SpecDiagnostic.Error(path + ".command", $"command expects a command line, got {other.ToInvariantString()}"));
                break;
        }

        string? code = null;
        switch (options["code"])
        {
            case null or NullValue:
                break;
            case TextValue { Value: var folder } when !string.IsNullOrWhiteSpace(folder):
                code = folder;
                break;
            case var other:
                errors.Add(SpecDiagnostic.Error(path + ".code", $"code expects a folder, got {other.ToInvariantString()}"));
                break;
        }

        var environment = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        switch (options["environment_variables"])
        {
            case null or NullValue:
                break;
            case MapValue map:
                foreach (var (name, value) in map.Entries)
                {
                    if (value is MapValue or ListValue or NullValue)
                    {
                        errors.Add(SpecDiagnostic.Error($"{path}.environment_variables.{name}", $"an environment variable expects a text, got {value.ToInvariantString()}"));
                        continue;
                    }

                    environment[name] = value.ToInvariantString();
                }

                break;
            case var other:
                errors.Add(SpecDiagnostic.Error(path + ".environment_variables", $"environment_variables expects a mapping of names to values, got {other.ToInvariantString()}"));
                break;
        }

        var timeout = DefaultTimeoutSeconds;
        if (options["timeout"] is { } timeoutValue and not NullValue)
        {
            var seconds = OptionReader.Number(timeoutValue, path + ".timeout", errors);
            if (seconds is { } s && (s <= 0 || double.IsInfinity(s)))
            {
                errors.Add(SpecDiagnostic.Error(path + ".timeout", $"timeout expects a positive number of seconds, got {timeoutValue.ToInvariantString()}"));
            }
            else if (seconds is { } valid)
            {
                timeout = valid;
            }
        }

        var pluginOptions = new MapValue([]);
        switch (options["options"])
        {
            case null or NullValue:
                break;
            case MapValue map:
                pluginOptions = map;
                break;
            case var other:
                errors.Add(SpecDiagnostic.Error(path + ".options", $"options expects a mapping, got {other.ToInvariantString()}"));
                break;
        }

        if (errors.Count > 0)
        {
            throw new SpecException(errors.ToImmutable());
        }

        return new PluginOptions
        {
            Command = command!,
            Code = code,
            EnvironmentVariables = environment.ToImmutable(),
            TimeoutSeconds = timeout,
            Options = pluginOptions,
        };
    }
}
