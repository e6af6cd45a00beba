// Trials run through setsid and /proc: these tests (like the runner) need Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
