using HyperDrive.Actors.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HyperDrive.Actors.Tests.Artifacts;

/// <summary>Discovers <see cref="StoreFactAttribute"/> facts, skipping those of a <see cref="RequiresPostgresAttribute"/> class without PostgreSQL.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        return needsPostgres && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))
            ? new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod,
                new PostgresFactAttribute().Skip)
            : base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
