using System.Collections.Immutable;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Azure's grid sampling: every combination of the choices, once each, in a fixed order: the cartesian
/// product with the first parameter slowest and the last fastest (Python's <c>itertools.product</c>), each
/// choice's options in the order written. A nested choice branch is expanded in place: the option
/// contributes every combination of its own choices (its constants fixed), in the same order. Trial n is
/// grid point n - 1 (from <see cref="SweepHistory.Count"/>); once every point is proposed it returns null,
/// which ends the sweep. Only <c>choice</c> is allowed, as in Azure; anything else is a
/// <see cref="SpecException"/> naming each offending parameter.
/// </summary>
public sealed class GridSampler : ISampler
{
    public const string OnlyChoiceMessage = "This sampling method expects only the following distributions: [choice]";

    private readonly SpaceGrid _grid;

    public GridSampler(SearchSpace space)
    {
        Space = space;
        var errors = ImmutableArray.CreateBuilder<SpecDiagnostic>();
        _grid = SpaceGrid.Build(space, "search_space.", errors);
        if (errors.Count > 0)
        {
            throw new SpecException(errors.ToImmutable());
        }

        Size = _grid.Count;
    }

    public string Name => "grid";

    public SearchSpace Space { get; }

    /// <summary>The number of grid points: the sweep ends after this many proposals.</summary>
    public long Size { get; }

    public ParameterSet? Propose(SweepHistory history) => PointAt(history.Count);

    /// <summary>Grid point <paramref name="index"/> (0-based), or null past the end.</summary>
    public ParameterSet? PointAt(long index) =>
        index < 0 || index >= Size ? null : new ParameterSet(_grid.Get(index));

    private static long Multiply(long a, long b, string path, ImmutableArray<SpecDiagnostic>.Builder errors)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            errors.Add(SpecDiagnostic.Error(path, $"the grid has more than {long.MaxValue} points"));
            return 1;
        }
    }

    private sealed class SpaceGrid(ImmutableArray<(string Name, ValueGrid Values)> parameters, long count)
    {
        public long Count { get; } = count;

        public static SpaceGrid Build(SearchSpace space, string prefix, ImmutableArray<SpecDiagnostic>.Builder errors)
        {
            var parameters = ImmutableArray.CreateBuilder<(string, ValueGrid)>();
            long count = 1;
            foreach (var parameter in space.Parameters)
            {
                var path = prefix + parameter.Name;
                var values = ValueGrid.Build(parameter.Expression, path, errors);
                parameters.Add((parameter.Name, values));
                count = Multiply(count, values.Count, path, errors);
            }

            return new SpaceGrid(parameters.ToImmutable(), count);
        }

        // Mixed radix, last parameter fastest.
        public ImmutableArray<KeyValuePair<string, ParameterValue>> Get(long index)
        {
            var entries = new KeyValuePair<string, ParameterValue>[parameters.Length];
            for (var i = parameters.Length - 1; i >= 0; i--)
            {
                var (name, values) = parameters[i];
                entries[i] = KeyValuePair.Create(name, values.Get(index % values.Count));
                index /= values.Count;
            }

            return [.. entries];
        }
    }

    private sealed class ValueGrid(ImmutableArray<(ParameterValue? Constant, SpaceGrid? Branch)> options, long count)
    {
        public long Count { get; } = count;

        public static ValueGrid Build(ParameterExpression expression, string path, ImmutableArray<SpecDiagnostic>.Builder errors)
        {
            switch (expression)
            {
                case FixedExpression fixedValue:
                    return new ValueGrid([(fixedValue.Value, null)], 1);
                case ChoiceExpression { Options.IsEmpty: true }:
                    errors.Add(SpecDiagnostic.Error(path, "Please specify an input for choice."));
                    return new ValueGrid([(NullValue.Instance, null)], 1);
                case ChoiceExpression choice:
                    var options = ImmutableArray.CreateBuilder<(ParameterValue?, SpaceGrid?)>();
                    long count = 0;
                    for (var i = 0; i < choice.Options.Length; i++)
                    {
                        var option = choice.Options[i];
                        var branch = option.Branch is null ? null : SpaceGrid.Build(option.Branch, $"{path}.values[{i}].", errors);
                        options.Add((option.Constant, branch));
                        count = Add(count, branch?.Count ?? 1, path, errors);
                    }

                    return new ValueGrid(options.ToImmutable(), count);
                default:
                    errors.Add(SpecDiagnostic.Error(path, $"{OnlyChoiceMessage} (grid sampling; this parameter is {expression.Kind})"));
                    return new ValueGrid([(NullValue.Instance, null)], 1);
            }
        }

        public ParameterValue Get(long index)
        {
            foreach (var (constant, branch) in options)
            {
                var size = branch?.Count ?? 1;
                if (index < size)
                {
                    return branch is null ? constant! : new MapValue(branch.Get(index));
                }

                index -= size;
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }

        private static long Add(long a, long b, string path, ImmutableArray<SpecDiagnostic>.Builder errors)
        {
            try
            {
                return checked(a + b);
            }
            catch (OverflowException)
            {
                errors.Add(SpecDiagnostic.Error(path, $"the grid has more than {long.MaxValue} points"));
                return 1;
            }
        }
    }
}
