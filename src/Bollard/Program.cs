using Bollard.Cli;

// The bollard executable: `bollard agent --config FILE` runs the daemon; the other verbs are tools around it.
return await CommandLine.RunAsync(args);
