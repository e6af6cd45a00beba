namespace HyperDrive.Training.Logs;

/// <summary>One line of a trial's output, decoded as UTF-8 (invalid bytes become U+FFFD); <see cref="DroppedBytes"/> &gt; 0 when it was cut.</summary>
internal readonly record struct OutputLine(string Text, long DroppedBytes)
{
    public bool Truncated => DroppedBytes > 0;
}
