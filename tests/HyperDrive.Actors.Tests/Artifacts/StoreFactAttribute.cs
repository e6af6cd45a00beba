using Xunit.Sdk;

namespace HyperDrive.Actors.Tests.Artifacts;

/// <summary>
/// A fact of a contract written once in an abstract class and run by each derived class; it is reported as skipped
/// in a class marked <see cref="RequiresPostgresAttribute"/> when <c>HYPERDRIVE_TEST_POSTGRES</c> is not set, just
/// as <see cref="Support.PostgresFactAttribute"/> is (an attribute on the base method cannot know its class).
/// </summary>
[XunitTestCaseDiscoverer("HyperDrive.Actors.Tests.Artifacts.StoreFactDiscoverer", "HyperDrive.Actors.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;
