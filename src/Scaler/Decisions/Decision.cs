namespace Bollard.Scaler.Decisions;

/// <summary>One decision the scaler took, with why: what an operator reads to understand what happened.</summary>
/// <param name="At">When it was decided.</param>
/// <param name="Service">The service it concerns.</param>
/// <param name="Action">What was decided (create, register, remove...).</param>
/// <param name="Subject">The container it acts on, if any.</param>
/// <param name="Reason">Why, in words, with the numbers that led to it.</param>
/// <param name="Outcome">"ok", or the error that prevented it.</param>
public sealed record Decision(DateTimeOffset At, string Service, string Action, string? Subject, string Reason, string Outcome);
