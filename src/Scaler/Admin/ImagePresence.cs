using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Before an apply, a plan or a rollout start is accepted: every image it brings in (a service's new image, or a tag
/// resolved again) must be one this agent's engine holds or its registry knows, i.e. one the pinner could pin. An image
/// that neither the engine nor a registry knows, or an image id (<c>sha256:…</c>, which no registry serves) that the
/// engine does not hold, refuses the request (422, naming the image and the host), so that nothing starts that could
/// only fail. A pin to a registry digest is accepted: every host can pull it.
/// </summary>
internal sealed class ImagePresence(IImageResolver resolver, IContainerRuntime runtime, IOptions<ScalerOptions> options)
{
    /// <exception cref="ControlPlaneException">An image is not present (422).</exception>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
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

            var missing = spec.PinnedImage switch
            {
                null => true,
                var id when id.StartsWith("sha256:", StringComparison.Ordinal) => await resolver.ResolveImageAsync(id, cancellationToken) is null,
                _ => false,
            };
            if (missing)
            {
                var host = options.Value.HostName;
                throw new ControlPlaneException(
                    ControlPlaneError.Unprocessable,
                    $"image '{spec.Image}' of service '{spec.Name}' is not present on host {host} (Docker engine {runtime.Endpoint}) and no registry knows it: build, load or push it first; nothing was changed")
                {
                    Facts = new Dictionary<string, object?> { ["image"] = spec.Image, ["host"] = host, ["service"] = spec.Name },
                };
            }
        }
    }
}
