namespace HyperDrive.Actors.Artifacts;

/// <summary>One stored file: its key and its size in bytes.</summary>
public sealed record ArtifactInfo(string Key, long Size);
