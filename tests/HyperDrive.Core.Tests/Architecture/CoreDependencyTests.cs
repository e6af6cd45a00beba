using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Architecture;

/// <summary>Core is pure domain: it must never depend on Akka (DESIGN §2, STYLE rule 1).</summary>
public sealed class CoreDependencyTests
{
    [Fact]
    public void Core_should_reference_no_Akka_assembly()
    {
        var references = typeof(SweepSpec).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, name => name.StartsWith("Akka", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Core_should_not_bring_Akka_transitively_when_its_dependencies_are_copied()
    {
        // This test project references only Core, so every assembly Core pulls in (directly or through a
        // package) is copied next to this one.
        var folder = AppContext.BaseDirectory;
        var copied = Directory.GetFiles(folder, "*.dll").Select(Path.GetFileName).ToList();

        Assert.Contains("HyperDrive.Core.dll", copied);
        Assert.DoesNotContain(copied, name => name!.StartsWith("Akka", StringComparison.OrdinalIgnoreCase));
    }
}
