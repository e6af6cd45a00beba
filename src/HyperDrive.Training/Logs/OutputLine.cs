namespace HyperDrive.Training.Logs;

/// <summary>
/// One line of a trial's output, decoded as UTF-8 (invalid bytes become U+FFFD); <see cref="DroppedBytes"/> &gt; 0 when
/// it was cut. <see cref="Last"/>: no further complete line was read with it (the process has not written more yet).
/// </summary>
internal readonly record struct OutputLine(string Text, long DroppedBytes, bool Last = true)
{
    public bool Truncated => DroppedBytes > 0;
}
