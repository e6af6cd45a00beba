using System.Collections.Immutable;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>The search space of a sweep: named parameter expressions in file order.</summary>
public sealed class SearchSpace : IEquatable<SearchSpace>
{
    public SearchSpace(ImmutableArray<SearchParameter> parameters)
    {
        Parameters = parameters;
    }

    public ImmutableArray<SearchParameter> Parameters { get; }

    public int Count => Parameters.Length;

    public SearchParameter? this[string name] => Parameters.FirstOrDefault(p => p.Name == name);

    public static SearchSpace Of(params (string Name, ParameterExpression Expression)[] parameters) =>
        new([.. parameters.Select(p => new SearchParameter(p.Name, p.Expression))]);

    /// <summary>True when every parameter of the set lies in this space (a nested branch's map in one of the branches).</summary>
    public bool Contains(ParameterValue value, SamplingOptions options) =>
        value is MapValue map && Contains(new ParameterSet(map.Entries), options);

    public bool Contains(ParameterSet set, SamplingOptions options) =>
        set.Count == Parameters.Length
        && Parameters.All(p => set.Find(p.Name) is { } v && p.Expression.Contains(v, options));

    /// <summary>Every dimension of the space, branches included, depth first in declaration order.</summary>
    public ImmutableArray<SpaceDimension> Dimensions() => SpaceSampling.Dimensions(this);

    public bool Equals(SearchSpace? other) => other is not null && Parameters.SequenceEqual(other.Parameters);

    public override bool Equals(object? obj) => Equals(obj as SearchSpace);

    public override int GetHashCode() => Parameters.Length;

    public override string ToString() => string.Join(", ", Parameters.Select(p => p.Name + ": " + p.Expression));
}
