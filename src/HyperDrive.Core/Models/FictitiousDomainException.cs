using System.Globalization;

namespace HyperDrive.Core.Models;

/// <summary>A fictitious-model input outside the domain where its formulas hold (DESIGN §7).</summary>
public sealed class FictitiousDomainException : ArgumentOutOfRangeException
{
    public FictitiousDomainException(string parameter, double value, string domain)
        : base(parameter, value, Describe(parameter, value, domain))
    {
        Parameter = parameter;
        Domain = domain;
    }

    /// <summary>The parameter's name: <c>thr</c>, <c>epoch</c>, <c>lr</c> or <c>e</c> (the current epoch).</summary>
    public string Parameter { get; }

    /// <summary>The domain as written in the message, e.g. <c>(0, 1)</c>.</summary>
    public string Domain { get; }

    /// <summary>The refused value.</summary>
    public double Value => (double)ActualValue!;

    /// <summary>"fictitious: lr = 1.5 is outside (0, 1)", without the base class's parameter and value suffixes.</summary>
    public override string Message => Describe(Parameter, Value, Domain);

    private static string Describe(string parameter, double value, string domain) =>
        $"fictitious: {parameter} = {value.ToString(CultureInfo.InvariantCulture)} is outside {domain}";
}
