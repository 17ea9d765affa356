using Bollard.Agent;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Options;

namespace Bollard.Cli;

/// <summary>
/// The verbs of the bollard executable. Exit codes scripts can rely on: 0 success, 1 invalid input or a failure
/// the message explains, 2 wrong usage.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private const string UsageText = """
        usage:
          bollard agent --config FILE     run the daemon (scaler, catalog and balancer of this host)
          bollard validate PATH...        check service spec files or directories; prints every problem
          bollard version                 print the version
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args switch
        {
            ["agent", "--config" or "-c", var file] => await RunAgentAsync(file),
            ["validate", .. var paths] when paths.Length > 0 => Validate(paths),
            ["version" or "--version"] => PrintVersion(),
            ["help" or "--help" or "-h"] => PrintUsage(Console.Out, Ok),
            _ => PrintUsage(Console.Error, Usage),
        };
    }

    private static async Task<int> RunAgentAsync(string configFile)
    {
        AgentConfig config;
        IReadOnlyList<ServiceSpec> specs;
        try
        {
            config = AgentConfigLoader.Load(configFile);
            specs = SpecLoader.LoadPath(config.ServicesPath);
        }
        catch (SpecValidationException e)
        {
            // The first load fails fast: running on half a configuration would be worse than not starting.
            await Console.Error.WriteLineAsync($"bollard: cannot start: {e.Message}");
            return Failed;
        }

        try
        {
            await using var app = AgentHost.Build(config, specs);
            await app.RunAsync();
            return Ok;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"bollard: cannot start: invalid settings in {configFile}: {string.Join("; ", e.Failures)}");
            return Failed;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"bollard: cannot start: cannot listen ({e.Message}); check 'listen' and 'admin' in {configFile}");
            return Failed;
        }
    }

    private static int Validate(string[] paths)
    {
        var failed = false;
        foreach (var path in paths)
        {
            try
            {
                var specs = SpecLoader.LoadPath(path);
                foreach (var spec in specs)
                {
                    Console.WriteLine($"{spec.Source}: service '{spec.Name}' is valid (version {spec.Version}, {spec.Replicas} replica(s))");
                }
            }
            catch (SpecValidationException e)
            {
                Console.Error.WriteLine(e.Message);
                failed = true;
            }
        }

        return failed ? Failed : Ok;
    }

    private static int PrintVersion()
    {
        Console.WriteLine($"bollard {typeof(CommandLine).Assembly.GetName().Version}");
        return Ok;
    }

    private static int PrintUsage(TextWriter writer, int code)
    {
        writer.WriteLine(UsageText);
        return code;
    }
}
