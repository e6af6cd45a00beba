using System.Net.Http.Headers;
using System.Text;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Core.Specs;

namespace HyperDrive.Cli.Engine;

/// <summary>
/// What <c>hyperdrive submit</c> uploads with a sweep file: its <c>trial.code</c> folder (or file) as one zip, the
/// entries under their path relative to the sweep file's folder, so the file's relative paths mean the same on
/// every worker. Code outside that folder is refused by name: the cluster sees only what the upload carries.
/// </summary>
internal static class CodeArchive
{
    /// <summary>The zip (a temp file, deleted when closed), or null when the sweep has no code; or why it cannot be made.</summary>
    public static async Task<(FileStream? Archive, string? Problem)> CreateAsync(string specPath, CancellationToken cancellationToken)
    {
        var read = SweepSpecReader.ReadFile(specPath);
        if (read.Spec?.Trial.Code is not { } code)
        {
            return (null, null);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        var relative = Path.GetRelativePath(folder, code);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return (null, $"trial.code '{code}' lies outside the sweep file's folder ({folder}); submit uploads only what is inside it: move the file next to the code");
        }

        if (!Directory.Exists(code) && !File.Exists(code))
        {
            return (null, $"trial.code '{code}' does not exist");
        }

        var prefix = Directory.Exists(code)
            ? (relative == "." ? "" : relative.Replace(Path.DirectorySeparatorChar, '/') + "/")
            : Path.GetDirectoryName(relative) is { Length: > 0 } parent ? parent.Replace(Path.DirectorySeparatorChar, '/') + "/" : "";
        var temporary = Path.Combine(Path.GetTempPath(), "hyperdrive-submit-" + Guid.NewGuid().ToString("N") + ".zip");
        var archive = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var exclusions = ArtifactFolders.DefaultCodeExclusions.Append("__pycache__");
        await ArtifactFolders.WriteArchiveAsync(code, prefix, archive, exclusions, cancellationToken);
        archive.Position = 0;
        return (archive, null);
    }

    /// <summary>The request body: the sweep file alone, or a form with the file and the code zip.</summary>
    public static HttpContent Body(string specText, FileStream? code)
    {
        if (code is null)
        {
            return new StringContent(specText, Encoding.UTF8, "application/yaml");
        }

        code.Position = 0;
        var zip = new StreamContent(new NonClosingStream(code));
        zip.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return new MultipartFormDataContent
        {
            { new StringContent(specText, Encoding.UTF8), "spec" },
            { zip, "code", "code.zip" },
        };
    }

    /// <summary>Lets the request be sent again to the next URL without closing the archive.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
