using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace HyperDrive.Cli.Api;

/// <summary>
/// The client side of the API for the console commands: one or more base URLs (the next is tried when one cannot
/// be reached, so losing one coordinator node loses no client), and the bearer token.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    private readonly IReadOnlyList<Uri> _bases;
    private readonly HttpClient _http;

    public ApiClient(IReadOnlyList<string> urls, string? token, TimeSpan? timeout = null)
    {
        _bases = [.. urls.Select(u => new Uri(u.EndsWith('/') ? u : u + "/"))];
        _http = new HttpClient { Timeout = timeout ?? Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>Sends a request to the first reachable URL. Throws <see cref="ApiException"/> for non-success answers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken, bool stream = false) =>
        SendContentAsync(method, path, body is null ? null : () => new StringContent(body, Encoding.UTF8, "application/yaml"), cancellationToken, stream);

    /// <summary>As above with a body made fresh for each URL tried (a multipart upload).</summary>
    public async Task<HttpResponseMessage> SendContentAsync(HttpMethod method, string path, Func<HttpContent>? body, CancellationToken cancellationToken, bool stream = false)
    {
        HttpRequestException? unreachable = null;
        foreach (var baseUri in _bases)
        {
            using var request = new HttpRequestMessage(method, new Uri(baseUri, path.TrimStart('/')));
            if (body is not null)
            {
                request.Content = body();
            }

            try
            {
                var response = await _http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    response.Dispose();
                    throw new ApiException(response.StatusCode, text);
                }

                return response;
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                unreachable = e;
            }
        }

        throw new ApiException(null, $"no API reachable at {string.Join(", ", _bases)}: {unreachable?.Message}");
    }

    public async Task<string> GetStringAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An API answer that is not a success, or no API reachable at all.</summary>
internal sealed class ApiException(HttpStatusCode? status, string message) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>2 when the request itself was bad (4xx), 1 otherwise.</summary>
    public int ExitCode => Status is { } s && (int)s is >= 400 and < 500 ? ExitCodes.BadInput : ExitCodes.Failure;
}
