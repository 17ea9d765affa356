using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Docker;

public sealed partial class DockerContainerRuntime
{
    private static partial class Log
    {
        [LoggerMessage(3100, LogLevel.Information, "Started container {Name} ({Id}) from {Image}, published on {Address}:{HostPort}")]
        public static partial void ContainerStarted(ILogger logger, string name, string id, string image, string address, int? hostPort);

        [LoggerMessage(3101, LogLevel.Warning, "Container {Name} ({Id}) was created but did not start; removing it")]
        public static partial void StartFailedRemoving(ILogger logger, string name, string id, Exception exception);

        [LoggerMessage(3102, LogLevel.Warning, "Could not remove container {Id} after its failed start; it stays labelled and the next reconcile pass sees it")]
        public static partial void CleanupFailed(ILogger logger, string id, Exception exception);

        [LoggerMessage(3103, LogLevel.Information, "Stopped container {Id} (grace {GraceSeconds} s)")]
        public static partial void ContainerStopped(ILogger logger, string id, uint graceSeconds);

        [LoggerMessage(3104, LogLevel.Information, "Removed container {Id}")]
        public static partial void ContainerRemoved(ILogger logger, string id);

        [LoggerMessage(3105, LogLevel.Debug, "Container {Id} was already gone ({Operation})")]
        public static partial void AlreadyGone(ILogger logger, string id, string operation);

        [LoggerMessage(3106, LogLevel.Information, "Watching container events of cluster {Cluster} on {Endpoint}")]
        public static partial void WatchStarted(ILogger logger, string cluster, string endpoint);

        [LoggerMessage(3107, LogLevel.Information, "The Docker event stream of {Endpoint} ended")]
        public static partial void WatchEnded(ILogger logger, string endpoint);

        [LoggerMessage(3108, LogLevel.Information, "Pulling {Image} on {Endpoint} {Credentials}")]
        public static partial void PullStarted(ILogger logger, string image, string endpoint, string credentials);

        [LoggerMessage(3109, LogLevel.Information, "Pulling {Image} on {Endpoint}: {Progress}")]
        public static partial void PullProgress(ILogger logger, string image, string endpoint, string progress);

        [LoggerMessage(3110, LogLevel.Information, "Pulled {Image} on {Endpoint}: {Result}")]
        public static partial void PullDone(ILogger logger, string image, string endpoint, string result);

        [LoggerMessage(3111, LogLevel.Warning, "Pull of {Image} on {Endpoint} failed: {Error}")]
        public static partial void PullFailed(ILogger logger, string image, string endpoint, string error);

        [LoggerMessage(3112, LogLevel.Warning, "Could not read how stopped container {Id} ended: {Error}")]
        public static partial void ExitUnreadable(ILogger logger, string id, string error);

        [LoggerMessage(3113, LogLevel.Warning, "Container {Name} ({Id}) did not start in time; left for the engine to finish (the next pass counts it): {Error}")]
        public static partial void StartSlowLeftToLoop(ILogger logger, string name, string id, string error);
    }
}
