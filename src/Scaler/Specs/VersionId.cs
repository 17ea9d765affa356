using System.Security.Cryptography;
using System.Text;

namespace Bollard.Scaler.Specs;

/// <summary>
/// The version id of a service spec: the first 12 hex digits of a SHA-256 over the container-shaping settings
/// (the image as pinned, port, environment, resource limits), in a fixed order. Settings that do not change a container
/// (replica count, route, health timings) are left out, so scaling or re-routing never replaces replicas. The image
/// counts by its pin when it has one: the same content under another tag is the same version, and a tag moved to other
/// content is a new one.
/// </summary>
public static class VersionId
{
    public static string Compute(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder()
            .Append("image=").Append(spec.PinnedImage ?? spec.Image).Append('\n')
            .Append("port=").Append(spec.Port).Append('\n')
            .Append("cpus=").Append(spec.Resources.Cpus?.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
            .Append("memory=").Append(spec.Resources.MemoryBytes).Append('\n');
        foreach (var (key, value) in spec.Env)
        {
            text.Append("env.").Append(key).Append('=').Append(value).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash)[..12];
    }
}
