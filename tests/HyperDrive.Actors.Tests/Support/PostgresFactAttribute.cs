namespace HyperDrive.Actors.Tests.Support;

/// <summary>
/// A fact that runs against PostgreSQL when <c>HYPERDRIVE_TEST_POSTGRES</c> holds a connection string
/// (CI sets it after <c>scripts/postgres</c>), and is reported as skipped — never silently passed — otherwise.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "HYPERDRIVE_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"PostgreSQL not configured: run scripts/postgres and set {Variable} to the connection string it prints";
        }
    }

    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable)!;
}
