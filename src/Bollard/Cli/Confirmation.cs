using Bollard.Scaler.Admin;

namespace Bollard.Cli;

/// <summary>
/// The question before an apply that removes services or cuts replicas by more than half: the plan, its cautions, and
/// "yes" typed on a terminal. Without a terminal (a script, a pipe) there is nobody to ask: the apply is refused, with
/// the reason, unless --yes was given.
/// </summary>
internal static class Confirmation
{
    /// <param name="plan">The plan to confirm.</param>
    /// <param name="context">Where to ask.</param>
    /// <param name="json">With -o json, the plan and the question go to standard error: standard output stays the apply's JSON.</param>
    public static bool Ask(PlanResult plan, CliContext context, bool json)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var person = json ? context.Error : context.Out;
        person.Write(SpecVerbs.FormatPlan(plan));
        var reasons = string.Join("; ", plan.Cautions);
        if (!context.InputIsTerminal)
        {
            context.Error.WriteLine($"bollard: not applied: it needs confirmation ({reasons}) and there is no terminal to ask on; run it again with --yes to apply it");
            return false;
        }

        person.Write($"This apply needs confirmation ({reasons}).\nApply it? Only 'yes' applies: ");
        person.Flush();
        if (context.In.ReadLine()?.Trim() == "yes")
        {
            return true;
        }

        context.Error.WriteLine("bollard: not applied (the answer was not 'yes')");
        return false;
    }
}
