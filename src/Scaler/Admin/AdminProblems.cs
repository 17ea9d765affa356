using Bollard.Scaler.Specs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bollard.Scaler.Admin;

/// <summary>The admin API's errors as RFC 7807 problem details (application/problem+json), each with a detail that
/// says what is wrong and where.</summary>
internal static class AdminProblems
{
    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Invalid(SpecValidationException e) => TypedResults.Problem(
        $"the specs are invalid: {e.Errors.Count} problem(s), each in 'errors' with its file, line and field",
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid specs",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = e.Errors.Select(x => new { file = x.File, line = x.Line, column = x.Column, field = x.Field, message = x.Message, text = x.ToString() }).ToList(),
        });

    public static ProblemHttpResult From(ControlPlaneException e) => e.Error switch
    {
        ControlPlaneError.NotFound => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        ControlPlaneError.Conflict => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        ControlPlaneError.NotAvailable => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status501NotImplemented, title: "Not available"),
        ControlPlaneError.Unavailable => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable"),
        ControlPlaneError.TooLarge => TooLarge(e.Message),
        ControlPlaneError.Unprocessable => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unprocessable", extensions: e.Facts),
        _ => BadRequest(e.Message),
    };
}
