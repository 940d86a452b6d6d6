namespace IndustryData.OData.Service.Errors;

/// <summary>
/// A request the service refuses, with everything the Graph-style error body needs.
/// Thrown wherever the rule lives; turned into a response in exactly one place (<see cref="GraphErrorMiddleware"/>).
/// </summary>
public sealed class ApiException(int status, string innerCode, string message, string? target = null, IReadOnlyList<ErrorDetail>? details = null)
    : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>The specific reason, camel case (e.g. <c>invalidEnumValue</c>); goes to innerError.code and details[].code.</summary>
    public string InnerCode { get; } = innerCode;

    public string? Target { get; } = target;

    public IReadOnlyList<ErrorDetail> Details { get; } = details ?? [];

    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public static ApiException BadRequest(string innerCode, string message, string? target = null) =>
        new(StatusCodes.Status400BadRequest, innerCode, message, target);

    public static ApiException NotFound(string message) =>
        new(StatusCodes.Status404NotFound, "resourceNotFound", message);
}

public sealed record ErrorDetail(string Code, string Message, string? Target);
