using System.CommandLine;

namespace Bollard.Cli;

/// <summary>
/// `bollard completion bash|zsh|fish`: a script that completes verbs, options and their values by asking bollard
/// itself (System.CommandLine's [suggest] directive), so it never falls behind the verbs.
/// </summary>
internal static class CompletionVerb
{
    public const string Bash = """
        # bollard completion for bash: source it, e.g. from ~/.bashrc:  source <(bollard completion bash)
        _bollard_complete() {
          local IFS=$'\n'
          COMPREPLY=($(compgen -W "$(bollard "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _bollard_complete bollard

        """;

    public const string Zsh = """
        #compdef bollard
        # bollard completion for zsh: source <(bollard completion zsh), or save it as _bollard in a directory of $fpath
        _bollard() {
          local -a suggestions
          suggestions=("${(@f)$(bollard "[suggest:${#${BUFFER[1,$CURSOR]}}]" "$BUFFER" 2>/dev/null)}")
          compadd -- "${suggestions[@]}"
        }
        compdef _bollard bollard

        """;

    public const string Fish = """
        # bollard completion for fish: bollard completion fish > ~/.config/fish/completions/bollard.fish
        complete -c bollard -f -a '(bollard "[suggest:"(string length -- (commandline -cp))"]" (commandline -cp) 2>/dev/null)'

        """;

    public static Verb Create(CliContext context)
    {
        var verb = new Verb("completion", "Print a shell completion script for bash, zsh or fish")
        {
            Examples =
            [
                "source <(bollard completion bash)                                  # in ~/.bashrc",
                "source <(bollard completion zsh)                                   # in ~/.zshrc",
                "bollard completion fish > ~/.config/fish/completions/bollard.fish",
            ],
        };
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        verb.Arguments.Add(shell);
        verb.SetAction(result =>
        {
            context.Out.Write(result.GetValue(shell) switch
            {
                "zsh" => Zsh,
                "fish" => Fish,
                _ => Bash,
            });
            return CommandLine.Ok;
        });
        return verb;
    }
}
