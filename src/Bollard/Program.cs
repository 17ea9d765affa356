// The bollard executable: `bollard agent --config FILE` runs the daemon.
Console.Error.WriteLine("usage: bollard agent --config FILE");
return 2;
