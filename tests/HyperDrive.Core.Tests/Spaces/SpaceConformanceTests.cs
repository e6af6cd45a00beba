using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Tests.Spaces;

public sealed class SpaceConformanceTests
{
    private static readonly SearchSpace Space = SearchSpace.Of(
        ("lr", new LogUniformExpression(-9, -1)),
        ("batch", new QUniformExpression(16, 128, 16)),
        ("layers", new RandIntExpression(4)),
        ("act", ChoiceExpression.Of(new TextValue("relu"), new TextValue("tanh"))),
        ("width", ChoiceExpression.Of(new IntegerValue(64), new IntegerValue(128))),
        ("model", new ChoiceExpression([
            ChoiceOption.Of(SearchSpace.Of(("name", new FixedExpression(new TextValue("yolo"))), ("depth", new RandIntExpression(3)))),
            ChoiceOption.Of(SearchSpace.Of(("name", new FixedExpression(new TextValue("rcnn"))), ("dropout", new UniformExpression(0, 0.5)))),
        ])));

    private static ParameterSet Valid(params (string Name, ParameterValue Value)[] overrides)
    {
        var set = ParameterSet.Of(
            ("lr", new RealValue(0.01)),
            ("batch", new IntegerValue(32)),
            ("layers", new IntegerValue(2)),
            ("act", new TextValue("tanh")),
            ("width", new IntegerValue(128)),
            ("model", new MapValue([KeyValuePair.Create("name", (ParameterValue)new TextValue("rcnn")), KeyValuePair.Create("dropout", (ParameterValue)new RealValue(0.25))])));
        foreach (var (name, value) in overrides)
        {
            set = set.With(name, value);
        }

        return set;
    }

    [Fact]
    public void Conform_should_accept_a_set_in_the_space_and_keep_the_space_order()
    {
        var shuffled = new ParameterSet([.. Valid().Entries.Reverse()]);

        var conformed = SpaceConformance.Conform(Space, shuffled, SamplingOptions.Default, out var error);

        Assert.Null(error);
        Assert.Equal(Valid(), conformed);
        Assert.True(Space.Contains(conformed!, SamplingOptions.Default));
    }

    [Fact]
    public void Conform_should_bring_whole_reals_to_integers_and_integers_to_reals_where_the_space_says()
    {
        var set = Valid(("batch", new RealValue(48.0)), ("layers", new RealValue(3.0)), ("width", new RealValue(64.0)),
            ("model", new MapValue([KeyValuePair.Create("name", (ParameterValue)new TextValue("rcnn")), KeyValuePair.Create("dropout", (ParameterValue)new IntegerValue(0))])));

        var conformed = SpaceConformance.Conform(Space, set, SamplingOptions.Default, out _)!;

        Assert.Equal(new IntegerValue(48), conformed.Find("batch"));
        Assert.Equal(new IntegerValue(3), conformed.Find("layers"));
        Assert.Equal(new IntegerValue(64), conformed.Find("width"));
        Assert.Equal(new RealValue(0), conformed.Find("model.dropout"));
    }

    [Theory]
    [InlineData("lr", 0.5, "parameter 'lr': 0.5 lies outside loguniform(-9, -1)")]
    [InlineData("batch", 40L, "parameter 'batch': 40 lies outside quniform(16, 128, 16) (its values are multiples of q within the bounds)")]
    [InlineData("batch", 144L, "parameter 'batch': 144 lies outside quniform(16, 128, 16) (its values are multiples of q within the bounds)")]
    [InlineData("layers", 4L, "parameter 'layers': 4 lies outside randint(4)")]
    [InlineData("layers", 1.5, "parameter 'layers': 1.5 is not an integer, as randint(4) requires")]
    [InlineData("act", "gelu", "parameter 'act': 'gelu' is not one of the values of choice('relu', 'tanh')")]
    [InlineData("width", 96L, "parameter 'width': 96 is not one of the values of choice(64, 128)")]
    [InlineData("lr", "fast", "parameter 'lr': 'fast' is not a number, as loguniform(-9, -1) requires")]
    public void Conform_should_refuse_a_value_outside_the_space_naming_the_parameter_and_the_value(string name, object raw, string expected)
    {
        ParameterValue value = raw switch
        {
            long l => new IntegerValue(l),
            double d => new RealValue(d),
            _ => new TextValue((string)raw),
        };

        var conformed = SpaceConformance.Conform(Space, Valid((name, value)), SamplingOptions.Default, out var error);

        Assert.Null(conformed);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Conform_should_refuse_missing_unknown_and_branch_mismatched_parameters()
    {
        var missing = new ParameterSet([.. Valid().Entries.Where(e => e.Key != "layers")]);
        var unknown = Valid(("momentum", new RealValue(0.9)));
        var wrongBranch = Valid(("model", new MapValue([KeyValuePair.Create("name", (ParameterValue)new TextValue("yolo")), KeyValuePair.Create("dropout", (ParameterValue)new RealValue(0.1))])));

        Assert.Null(SpaceConformance.Conform(Space, missing, SamplingOptions.Default, out var missingError));
        Assert.Null(SpaceConformance.Conform(Space, unknown, SamplingOptions.Default, out var unknownError));
        Assert.Null(SpaceConformance.Conform(Space, wrongBranch, SamplingOptions.Default, out var branchError));

        Assert.Equal("parameter 'layers' is missing", missingError);
        Assert.StartsWith("unknown parameter 'momentum'", unknownError);
        Assert.StartsWith("parameter 'model': {\"name\":\"yolo\",\"dropout\":0.1} is not one of the values", branchError);
    }
}
