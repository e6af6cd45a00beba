using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>
/// One option of a <c>choice</c>: a constant (int, float, string, bool, or a mapping of constants) or a
/// nested branch, a mapping of constants and parameter expressions (Azure v2's nested search space).
/// </summary>
public sealed record ChoiceOption
{
    private ChoiceOption(ParameterValue? constant, SearchSpace? branch)
    {
        Constant = constant;
        Branch = branch;
    }

    public ParameterValue? Constant { get; }

    public SearchSpace? Branch { get; }

    public static ChoiceOption Of(ParameterValue constant) => new(constant, null);

    public static ChoiceOption Of(SearchSpace branch) => new(null, branch);

    public override string ToString() => Constant?.ToInvariantString() ?? "{" + Branch + "}";
}
