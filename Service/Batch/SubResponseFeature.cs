using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace IndustryData.OData.Service.Batch;

/// <summary>
/// The response side of an in-process sub-request: buffers the body and runs OnStarting callbacks when the response
/// starts, as a server would (the pipeline relies on them for request-id and other headers).
/// </summary>
internal sealed class SubResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> onStarting = [];
    private readonly MemoryStream body = new();
    private PipeWriter? writer;

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body
    {
        get => new StartingStream(this);
        set => throw new NotSupportedException();
    }

    public bool HasStarted { get; private set; }

    public Stream Stream => Body;

    public PipeWriter Writer => writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    public byte[] Content => body.ToArray();

    public void OnStarting(Func<object, Task> callback, object state) => onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state)
    {
    }

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }

        for (var i = onStarting.Count - 1; i >= 0; i--)
        {
            await onStarting[i].Callback(onStarting[i].State);
        }

        HasStarted = true;
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public async Task CompleteAsync()
    {
        if (writer is not null)
        {
            await writer.FlushAsync();
        }

        await StartAsync();
    }

    private sealed class StartingStream(SubResponseFeature feature) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => feature.body.Length;

        public override long Position { get => feature.body.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => feature.StartAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            feature.StartAsync().GetAwaiter().GetResult();
            feature.body.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await feature.StartAsync(cancellationToken);
            await feature.body.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
