using System.Globalization;

namespace HyperDrive.Actors.Artifacts;

/// <summary>A put would make a file, or the files of one trial, larger than <see cref="ArtifactLimits"/> allow.</summary>
public sealed class ArtifactLimitExceededException : IOException
{
    public ArtifactLimitExceededException(string key, long size, long limit, string setting, bool sizeIsLowerBound)
        : base(Describe(key, size, limit, setting, sizeIsLowerBound))
    {
        Key = key;
        Size = size;
        Limit = limit;
        Setting = setting;
    }

    public ArtifactLimitExceededException()
    {
        Key = Setting = string.Empty;
    }

    public ArtifactLimitExceededException(string message) : base(message)
    {
        Key = Setting = string.Empty;
    }

    public ArtifactLimitExceededException(string message, Exception innerException) : base(message, innerException)
    {
        Key = Setting = string.Empty;
    }

    /// <summary>The key being stored.</summary>
    public string Key { get; }

    /// <summary>The bytes the file (per-file limit) or the trial (per-trial limit) would hold, or at least hold.</summary>
    public long Size { get; }

    public long Limit { get; }

    /// <summary>The HOCON setting that raises the limit.</summary>
    public string Setting { get; }

    private static string Describe(string key, long size, long limit, string setting, bool sizeIsLowerBound)
    {
        var what = setting == ArtifactLimits.MaxBytesPerTrialSetting
            ? $"would bring its trial ({ArtifactKeys.TrialOf(key)}) to {(sizeIsLowerBound ? "at least " : "")}{Bytes(size)}"
            : $"is {(sizeIsLowerBound ? "at least " : "")}{Bytes(size)}";
        return $"artifact '{key}' {what}, over the limit of {Bytes(limit)}; raise it with the HOCON setting " +
            $"{setting} (for example `{setting} = {Suggest(size)}`)";
    }

    private static string Bytes(long bytes)
    {
        var exact = bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit < 0 ? exact : $"{exact} ({value.ToString("0.##", CultureInfo.InvariantCulture)} {units[unit]})";
    }

    private static string Suggest(long size)
    {
        var gib = Math.Max(1, (long)Math.Ceiling(size * 2.0 / (1L << 30)));
        return $"{gib} GiB";
    }
}
