using System.Buffers;

namespace IndustryData.OData.Service.Serialization;

/// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from the shared pool; returns them on dispose.</summary>
public sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int written;

    public int WrittenCount => written;

    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - written);
        written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var available = Reserve(sizeHint); // first: it may replace the buffer
        return buffer.AsMemory(written, available);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var available = Reserve(sizeHint);
        return buffer.AsSpan(written, available);
    }

    public void Clear() => written = 0;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
        written = 0;
    }

    private int Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 256);
        if (buffer.Length - written < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, written + needed));
            buffer.AsSpan(0, written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        return buffer.Length - written;
    }
}
