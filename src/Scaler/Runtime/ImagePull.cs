using System.Globalization;

namespace Bollard.Scaler.Runtime;

/// <summary>Where a pull stands: its layers and the bytes downloaded so far (totals as far as the registry said them).</summary>
/// <param name="Layers">Layers the image has, as far as the engine has listed them.</param>
/// <param name="LayersDone">Layers already on the engine or pulled completely.</param>
/// <param name="BytesDownloaded">Bytes downloaded so far over every layer.</param>
/// <param name="BytesTotal">The size of the layers being downloaded (0 while unknown).</param>
public sealed record ImagePullProgress(int Layers, int LayersDone, long BytesDownloaded, long BytesTotal)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{LayersDone} of {Layers} layers, {Megabytes(BytesDownloaded)} of {Megabytes(BytesTotal)} MB downloaded");

    internal static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>A finished pull: how long it took and what it downloaded.</summary>
/// <param name="Reference">What was pulled.</param>
/// <param name="Duration">From the request to the image being on the engine.</param>
/// <param name="Layers">Layers of the image.</param>
/// <param name="LayersDownloaded">Layers the engine did not have and downloaded.</param>
/// <param name="BytesDownloaded">Bytes downloaded.</param>
public sealed record ImagePullResult(string Reference, TimeSpan Duration, int Layers, int LayersDownloaded, long BytesDownloaded)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"pulled in {Duration.TotalSeconds:0.0} s ({LayersDownloaded} of {Layers} layers downloaded, {ImagePullProgress.Megabytes(BytesDownloaded)} MB)");
}
