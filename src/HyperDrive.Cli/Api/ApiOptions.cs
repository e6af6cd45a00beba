using System.Net;

namespace HyperDrive.Cli.Api;

/// <summary>
/// Where the API listens and who may call it. Loopback by default; any other address needs a token
/// (security by default), and when a token is set every request must carry it as a bearer token.
/// </summary>
internal sealed record ApiOptions(string Bind = "127.0.0.1", int Port = 8089, string? Token = null)
{
    /// <summary>Null when the options can serve; otherwise why not.</summary>
    public string? Problem()
    {
        if (!IPAddress.TryParse(Bind, out var address))
        {
            return $"--bind expects an IP address, got '{Bind}'";
        }

        if (Port is < 0 or > 65535)
        {
            return $"--port expects 0..65535, got {Port}";
        }

        return !IPAddress.IsLoopback(address) && string.IsNullOrEmpty(Token)
            ? $"refusing to serve the API on {Bind} without a token: set --token or HYPERDRIVE_API_TOKEN (loopback needs none)"
            : null;
    }
}
