using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperDrive.Training.Torch;

/// <summary>
/// The network of the Azure ML HyperDrive PyTorch lab: Linear(in, h) → ReLU → Linear(h, h) → ReLU → Linear(h, classes),
/// with dropout after each ReLU when <c>dropout</c> &gt; 0. Outputs logits (CrossEntropy applies the softmax).
/// </summary>
public sealed class MlpNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc1;
    private readonly Linear _fc2;
    private readonly Linear _fc3;
    private readonly Dropout _dropout;

    public MlpNetwork(int inputs, int hidden, int classes, double dropout)
        : base(nameof(MlpNetwork))
    {
        _fc1 = nn.Linear(inputs, hidden);
        _fc2 = nn.Linear(hidden, hidden);
        _fc3 = nn.Linear(hidden, classes);
        _dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    public Linear First => _fc1;

    public Linear Second => _fc2;

    public Linear Output => _fc3;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _dropout.call(nn.functional.relu(_fc1.call(input)));
        x = _dropout.call(nn.functional.relu(_fc2.call(x)));
        return _fc3.call(x).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fc1.Dispose();
            _fc2.Dispose();
            _fc3.Dispose();
            _dropout.Dispose();
        }

        base.Dispose(disposing);
    }
}
