namespace HyperDrive.Training.Folders;

/// <summary>
/// Copies a trial's <c>code</c> folder (or single file) into its working directory. Files are copied, not hard-linked:
/// a trial that rewrites a file in place must not change the original or its neighbours' copies. Symbolic links are
/// recreated as links with the same target and never followed, so nothing outside the folder is read or written
/// through them. <c>.git</c> and <c>.hyperdrive</c> folders, and the destination itself when it lies inside the
/// code folder, are skipped.
/// </summary>
public static class CodeSnapshot
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", ".hyperdrive" };

    /// <exception cref="FileNotFoundException">The code path does not exist.</exception>
    /// <param name="exclude">Folders never copied (the engine's data folder when it lies inside the code folder).</param>
    public static void Copy(string source, string destination, IEnumerable<string>? exclude = null)
    {
        var fullSource = Path.GetFullPath(source);
        var fullDestination = Path.GetFullPath(destination);
        Directory.CreateDirectory(fullDestination);
        if (File.Exists(fullSource))
        {
            File.Copy(fullSource, Path.Combine(fullDestination, Path.GetFileName(fullSource)), overwrite: true);
            return;
        }

        if (!Directory.Exists(fullSource))
        {
            throw new FileNotFoundException($"code path '{source}' not found", source);
        }

        var skipped = new HashSet<string>((exclude ?? []).Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))), StringComparer.Ordinal)
        {
            fullDestination,
        };
        CopyFolder(new DirectoryInfo(fullSource), fullDestination, skipped);
    }

    private static void CopyFolder(DirectoryInfo source, string destination, HashSet<string> skipped)
    {
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo folder)
            {
                if (SkippedFolders.Contains(folder.Name) || skipped.Contains(Path.TrimEndingDirectorySeparator(folder.FullName)))
                {
                    continue;
                }

                Directory.CreateDirectory(target);
                CopyFolder(folder, target, skipped);
            }
            else if (entry is FileInfo file)
            {
                file.CopyTo(target, overwrite: true);
            }
        }
    }
}
