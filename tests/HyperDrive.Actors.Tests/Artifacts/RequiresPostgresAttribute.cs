namespace HyperDrive.Actors.Tests.Artifacts;

/// <summary>Marks a contract class whose store is PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequiresPostgresAttribute : Attribute;
