using Bollard.Scaler.Docker;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Docker;

/// <summary>The engine's pull stream, one message per layer event, read into layers, bytes and an error.</summary>
public sealed class DockerPullProgressTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<ImagePullProgress> _told = [];

    [Fact]
    public void Layers_and_bytes_are_counted_and_told_once_per_interval()
    {
        var progress = new DockerPullProgress(_time, TimeSpan.FromSeconds(5), _told.Add);

        progress.Report(new JSONMessage { Status = "Pulling from team/app", ID = "v1" });
        progress.Report(new JSONMessage { Status = "Already exists", ID = "aaa" });
        progress.Report(new JSONMessage { Status = "Pulling fs layer", ID = "bbb" });
        progress.Report(new JSONMessage { Status = "Downloading", ID = "bbb", Progress = new JSONProgress { Current = 400, Total = 1000 } });
        Assert.Empty(_told);

        _time.Advance(TimeSpan.FromSeconds(5));
        progress.Report(new JSONMessage { Status = "Downloading", ID = "bbb", Progress = new JSONProgress { Current = 600, Total = 1000 } });
        Assert.Equal(new ImagePullProgress(2, 1, 600, 1000), Assert.Single(_told));

        progress.Report(new JSONMessage { Status = "Download complete", ID = "bbb" });
        progress.Report(new JSONMessage { Status = "Pull complete", ID = "bbb" });
        progress.Report(new JSONMessage { Status = "Digest: sha256:abc" });
        Assert.Equal(new ImagePullProgress(2, 2, 1000, 1000), progress.Snapshot());
        Assert.Equal(1, progress.LayersDownloaded());
        Assert.Null(progress.Error);
    }

    [Fact]
    public void An_error_in_the_stream_is_kept()
    {
        var progress = new DockerPullProgress(_time, TimeSpan.FromSeconds(5), _told.Add);

        progress.Report(new JSONMessage { Error = new JSONError { Message = "manifest unknown" }, ErrorMessage = "manifest unknown" });
        progress.Report(new JSONMessage { ErrorMessage = "later" });

        Assert.Equal("manifest unknown", progress.Error);
    }
}
