using System.Buffers.Binary;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IndustryData.OData.Service.Storage;

/// <summary>SQL Server's 8-byte big-endian rowversion as the long the model carries.</summary>
internal static class RowVersionConverter
{
    public static readonly ValueConverter<long, byte[]> Instance = new(
        value => ToBytes(value),
        bytes => BinaryPrimitives.ReadInt64BigEndian(bytes));

    private static byte[] ToBytes(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
