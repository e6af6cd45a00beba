using HyperDrive.Training.Torch.Tests.Support;
using TorchSharp;

namespace HyperDrive.Training.Torch.Tests;

[Collection(nameof(TorchCollection))]
public sealed class MlpNetworkTests
{
    [Fact]
    public void Network_should_be_two_hidden_layers_of_the_hidden_size_then_one_logit_per_class()
    {
        using var network = new MlpNetwork(inputs: 64, hidden: 7, classes: 10, dropout: 0);

        var shapes = network.named_parameters().Select(p => (p.name, string.Join('x', p.parameter.shape))).ToList();

        Assert.Equal(
            [("_fc1.weight", "7x64"), ("_fc1.bias", "7"), ("_fc2.weight", "7x7"), ("_fc2.bias", "7"), ("_fc3.weight", "10x7"), ("_fc3.bias", "10")],
            shapes);
        using var output = network.call(torch.zeros(5, 64));
        Assert.Equal([5L, 10L], output.shape);
    }

    [Fact]
    public void Network_should_apply_relu_between_layers()
    {
        using var network = new MlpNetwork(inputs: 1, hidden: 1, classes: 1, dropout: 0);
        using (torch.no_grad())
        {
            // fc1 = -x, fc2 = 2h + 0, fc3 = y + 0: ReLU(-x) is 0 for x > 0 and -x for x < 0.
            network.First.weight!.fill_(-1);
            network.First.bias!.fill_(0);
            network.Second.weight!.fill_(2);
            network.Second.bias!.fill_(0);
            network.Output.weight!.fill_(1);
            network.Output.bias!.fill_(0);
        }

        using var output = network.call(torch.tensor(new float[] { 3, -3 }, [2, 1]));

        Assert.Equal([0f, 6f], output.data<float>().ToArray());
    }

    [Fact]
    public void Dropout_should_act_only_in_training_mode()
    {
        using var network = new MlpNetwork(inputs: 4, hidden: 256, classes: 3, dropout: 0.5);
        using var input = torch.ones(8, 4);

        network.eval();
        using var a = network.call(input);
        using var b = network.call(input);
        network.train();
        torch.manual_seed(3);
        using var c = network.call(input);

        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.False(a.allclose(c));
    }
}
