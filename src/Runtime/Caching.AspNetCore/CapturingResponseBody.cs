using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Caching.AspNetCore;

/// <summary>
/// Replaces the response body while an endpoint runs: holds what it writes in memory up to a limit, so the middleware
/// can still set headers (ETag, Content-Length) or answer 304 once the response is complete. Past the limit, or when
/// the endpoint disables buffering (an explicit StartAsync is deferred: most writers call it), it switches to pass-through for good: what it held is
/// written out and the rest streams to the client, and the response is not stored. For a HEAD request, whose client
/// gets no body, it discards instead of passing through, so the response never starts while the endpoint runs.
/// </summary>
internal sealed class CapturingResponseBody : Stream, IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly int _limit;
    private readonly bool _discardOverflow;
    private MemoryStream? _buffer = new();
    private PipeWriter? _writer;
    private bool _passThroughRequested;

    public CapturingResponseBody(IHttpResponseBodyFeature inner, int limit, bool discardOverflow = false)
    {
        _inner = inner;
        _limit = limit;
        _discardOverflow = discardOverflow;
    }

    /// <summary>False once the body went (or is going) to the client directly, or was discarded: it must not be stored.</summary>
    public bool Complete => _buffer is not null;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    /// <summary>The body held so far (valid while <see cref="Complete"/> is true).</summary>
    public ReadOnlyMemory<byte> Buffered => _buffer is null ? default : _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    /// <summary>Flushes the endpoint's pipe writer, if it used one, into the buffer.</summary>
    public async ValueTask FlushWriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    void IHttpResponseBodyFeature.DisableBuffering() => _passThroughRequested = true;

    async Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken)
    {
        // Most writers start the response before their first write (HttpResponse.WriteAsync does); honouring that
        // would make every response pass-through. The real start waits for the buffer's fate, unless the endpoint
        // asked for streaming with DisableBuffering.
        if (!_discardOverflow && (_buffer is null || _passThroughRequested))
        {
            await PassThroughAsync(cancellationToken).ConfigureAwait(false);
            await _inner.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    async Task IHttpResponseBodyFeature.CompleteAsync()
    {
        // The middleware completes the real response after it decided what to send; here only the pipe is drained.
        await FlushWriterAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Fits(buffer.Length))
        {
            _buffer!.Write(buffer);
            return;
        }

        if (Discard())
        {
            return;
        }

        var held = _buffer;
        _buffer = null;
        if (held is { Length: > 0 })
        {
            _inner.Stream.Write(held.GetBuffer(), 0, (int)held.Length);
        }

        _inner.Stream.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Fits(buffer.Length))
        {
            _buffer!.Write(buffer.Span);
            return;
        }

        if (Discard())
        {
            return;
        }

        await PassThroughAsync(cancellationToken).ConfigureAwait(false);
        await _inner.Stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override void Flush()
    {
        if (_buffer is null && !_discardOverflow)
        {
            _inner.Stream.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _buffer is null && !_discardOverflow ? _inner.Stream.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer?.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool Discard()
    {
        if (!_discardOverflow)
        {
            return false;
        }

        _buffer?.Dispose();
        _buffer = null;
        return true;
    }

    private bool Fits(int count) => _buffer is not null && !_passThroughRequested && _buffer.Length + count <= _limit;

    private async ValueTask PassThroughAsync(CancellationToken cancellationToken)
    {
        var held = _buffer;
        if (held is null)
        {
            return;
        }

        _buffer = null;
        if (held.Length > 0)
        {
            await _inner.Stream.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken).ConfigureAwait(false);
        }

        await held.DisposeAsync().ConfigureAwait(false);
    }
}
