using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling.Bayesian;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Tests.Sampling.Bayesian;

public sealed class SpaceEncoderTests
{
    [Fact]
    public void Encoder_should_model_log_scaled_parameters_in_log_space()
    {
        var space = SearchSpace.Of(("lr", new LogUniformExpression(-9, -1)), ("units", new QLogUniformExpression(0, 6, 1)));
        var encoder = new SpaceEncoder(space, SamplingOptions.Default);

        var features = encoder.Encode(Set(("lr", ParameterValue.Of(Math.Exp(-7))), ("units", ParameterValue.Of((long)Math.Round(Math.Exp(3))))));

        Assert.Equal(0.25, features[0], 1e-12);
        Assert.Equal((Math.Log(20) - 0) / 6, features[1], 1e-12);
    }

    [Fact]
    public void Encoder_should_one_hot_a_choice_and_place_integers_at_their_cell_centre()
    {
        var space = SearchSpace.Of(
            ("opt", ChoiceExpression.Of(ParameterValue.Of("sgd"), ParameterValue.Of("adam"), ParameterValue.Of("rmsprop"))),
            ("layers", new RandIntExpression(4)));
        var encoder = new SpaceEncoder(space, SamplingOptions.Default);

        var features = encoder.Encode(Set(("opt", ParameterValue.Of("rmsprop")), ("layers", ParameterValue.Of(1))));

        Assert.Equal(4, encoder.FeatureCount);
        Assert.Equal([0, 0, 1, 0.375], features);
    }

    [Fact]
    public void Encoder_should_round_a_candidate_before_encoding_it_when_the_parameter_is_quantised()
    {
        var space = SearchSpace.Of(("batch", new QUniformExpression(0, 100, 10)));
        var encoder = new SpaceEncoder(space, SamplingOptions.Default);

        var decoded = encoder.Decode([0.337]);

        Assert.Equal(ParameterValue.Of(30), decoded.Find("batch"));
        Assert.Equal(0.3, encoder.Encode(decoded)[0], 1e-12);
    }

    [Fact]
    public void Encoder_should_mark_the_members_of_an_unchosen_branch_inactive()
    {
        var space = SearchSpace.Of(("model", new ChoiceExpression([
            ChoiceOption.Of(SearchSpace.Of(("name", new FixedExpression(ParameterValue.Of("a"))), ("lr", new UniformExpression(0, 1)))),
            ChoiceOption.Of(SearchSpace.Of(("name", new FixedExpression(ParameterValue.Of("b"))), ("k", ChoiceExpression.Of(ParameterValue.Of(1), ParameterValue.Of(2))))),
        ])));
        var encoder = new SpaceEncoder(space, SamplingOptions.Default);
        var chosen = new MapValue([KeyValuePair.Create("name", ParameterValue.Of("a")), KeyValuePair.Create("lr", ParameterValue.Of(0.8))]);

        var features = encoder.Encode(Set(("model", chosen)));

        // model one-hot (2), lr (1), k one-hot (2): branch b is inactive, so k's group is all zeros.
        Assert.Equal([1, 0, 0.8, 0, 0], features);
    }

    private static ParameterSet Set(params (string Name, ParameterValue Value)[] entries) =>
        new([.. entries.Select(e => KeyValuePair.Create(e.Name, e.Value))]);
}
