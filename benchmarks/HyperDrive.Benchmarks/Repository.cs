namespace HyperDrive.Benchmarks;

/// <summary>Finds the repository root: the folder holding HyperDrive.Actors.sln, above the current folder or the binary.</summary>
internal static class Repository
{
    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "HyperDrive.Actors.sln")))
                {
                    return d.FullName;
                }
            }
        }

        throw new InvalidOperationException("HyperDrive.Actors.sln not found above the current folder");
    }
}
