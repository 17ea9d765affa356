using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Before an apply, a plan or a rollout start is accepted: every image it brings in (a service's new image, or a tag
/// resolved again) must be present on the engines of this agent, the one images are pinned on and each local host.
/// An engine that answers "no such image" refuses the request (422, naming the image and the host), so that nothing
/// starts that could only fail; an engine that cannot be reached does not (a host may be down while the others are
/// changed; its creations fail and are retried there).
/// </summary>
internal sealed class ImagePresence(IImageResolver resolver, HostSet hosts, IOptions<ScalerOptions> options)
{
    /// <exception cref="ControlPlaneException">An image is not present on an engine (422).</exception>
    public async Task CheckAsync(IReadOnlyList<ServiceSpec> next, IReadOnlyList<ServiceSpec> current, CancellationToken cancellationToken)
    {
        if (resolver is NoImageResolver)
        {
            return; // composed without an engine to ask (tests of the control plane alone)
        }

        foreach (var spec in next)
        {
            var now = current.FirstOrDefault(s => s.Name == spec.Name);
            if (now is not null && now.Image == spec.Image && now.PinnedImage == spec.PinnedImage && spec.PinnedImage is not null)
            {
                continue; // what the service runs already
            }

            var reference = spec.PinnedImage ?? spec.Image;
            foreach (var (host, endpoint, engine) in Engines())
            {
                if (await IsMissingAsync(engine, reference, cancellationToken))
                {
                    var shown = reference == spec.Image ? $"'{spec.Image}'" : $"'{spec.Image}' ({reference})";
                    throw new ControlPlaneException(
                        ControlPlaneError.Unprocessable,
                        $"image {shown} of service '{spec.Name}' is not present on host {host} (Docker engine {endpoint}): build, load or pull it there first; nothing was changed")
                    {
                        Facts = new Dictionary<string, object?> { ["image"] = spec.Image, ["reference"] = reference, ["host"] = host, ["service"] = spec.Name },
                    };
                }
            }
        }
    }

    /// <summary>The engine images are pinned on (named after this agent's host), then every local host's own engine.</summary>
    private IEnumerable<(string Host, string Endpoint, IImageResolver Engine)> Engines()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pinning = resolver is IContainerRuntime runtime ? [new ManagedHost(options.Value.HostName, "", "", null, runtime)] : Array.Empty<ManagedHost>();
        foreach (var host in pinning.Concat(hosts.Hosts))
        {
            if (host.Runtime is IImageResolver engine && seen.Add(host.Runtime.Endpoint))
            {
                yield return (host.Name, host.Runtime.Endpoint, engine);
            }
        }
    }

    private static async Task<bool> IsMissingAsync(IImageResolver engine, string reference, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.ResolveImageAsync(reference, cancellationToken) is null;
        }
        catch (RuntimeUnavailableException)
        {
            return false;
        }
    }
}
