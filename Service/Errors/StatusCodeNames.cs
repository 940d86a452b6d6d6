namespace IndustryData.OData.Service.Errors;

/// <summary>Graph's top-level error.code: the HTTP status in camel case.</summary>
public static class StatusCodeNames
{
    public static string For(int status) => status switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "notFound",
        405 => "methodNotAllowed",
        406 => "notAcceptable",
        409 => "conflict",
        410 => "gone",
        411 => "lengthRequired",
        412 => "preconditionFailed",
        413 => "payloadTooLarge",
        414 => "uriTooLong",
        415 => "unsupportedMediaType",
        422 => "unprocessableEntity",
        424 => "failedDependency",
        428 => "preconditionRequired",
        429 => "tooManyRequests",
        431 => "requestHeaderFieldsTooLarge",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        504 => "gatewayTimeout",
        507 => "insufficientStorage",
        >= 500 => "internalServerError",
        _ => "badRequest",
    };
}
