namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>Data or options the ridge trainer cannot use; the message names the file, the column, the line or the option.</summary>
public sealed class RidgeDataException(string message) : Exception(message);
