# An image of the Bollard daemon, built from a clean clone with `docker build -t bollard .`: the .NET SDK image
# compiles a self-contained, single-file, ReadyToRun `bollard`; the runtime-deps image (the libraries .NET needs, no
# .NET) runs it as a non-root user. It drives the host's Docker engine through the mounted socket:
#
#   docker run -d --name bollard --network host \
#       --group-add "$(stat -c %g /var/run/docker.sock)" \
#       -v /var/run/docker.sock:/var/run/docker.sock \
#       -v /etc/bollard:/etc/bollard:ro \
#       -v bollard-state:/var/lib/bollard \
#       bollard
#
# --network host lets the balancer listen on the host's addresses and reach replicas published on loopback.
# --group-add gives the daemon's user the socket's group: that is access to the Docker engine, which is root-equivalent
# on the host (see README, Security). The listener must be above port 1023 (the user is not root) unless the host
# lowers net.ipv4.ip_unprivileged_port_start.
#
# Without a registry, scripts/build-daemon-image.sh passes local stand-ins for the two base images (SDK_IMAGE,
# RUNTIME_IMAGE); the Dockerfile is the same.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The project files alone first: their restore is a layer of its own, reused while only the code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Discovery/Bollard.Discovery.csproj src/Discovery/
COPY src/Balancer/Bollard.Balancer.csproj src/Balancer/
COPY src/Scaler/Bollard.Scaler.csproj src/Scaler/
COPY src/Bollard/Bollard.csproj src/Bollard/
RUN dotnet restore src/Bollard/Bollard.csproj -r linux-x64 -p:PublishReadyToRun=true
COPY src/ src/
# ReadyToRun: a (re)started agent answers about a third sooner (see bench/README.md).
RUN dotnet publish src/Bollard/Bollard.csproj -c Release -r linux-x64 --self-contained --no-restore \
        -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:InvariantGlobalization=true -p:DebugType=none \
        -o /out \
    && /out/bollard version

FROM ${RUNTIME_IMAGE}
# scripts/build-daemon-image.sh passes the git commit and the time of the build.
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="bollard" \
      org.opencontainers.image.description="Bollard: autoscaler and load balancer for plain Docker hosts (the host agent)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
# The daemon's own user and group (10001), not root; the state directory is its alone (0700).
RUN groupadd --system --gid 10001 bollard \
    && useradd --system --uid 10001 --gid bollard --no-create-home --home-dir /var/lib/bollard --shell /usr/sbin/nologin bollard \
    && install -d -o bollard -g bollard -m 0700 /var/lib/bollard \
    && install -d -m 0755 /etc/bollard
COPY --from=build /out/bollard /usr/local/bin/bollard
ENV DOTNET_gcServer=1
USER 10001:10001
VOLUME /var/lib/bollard
# The balancer (agent.yaml `listen`) and the admin listener (`admin`: /healthz, /metrics, the API), as in the defaults.
EXPOSE 8080 9901
# /healthz answers 200 while the agent runs, also "degraded" while Consul or Docker is down (a restart would not help
# then). Bash's /dev/tcp keeps an HTTP client out of the image; BOLLARD_HEALTH_ADDRESS is agent.yaml's `admin`.
ENV BOLLARD_HEALTH_ADDRESS=127.0.0.1:9901
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/${BOLLARD_HEALTH_ADDRESS%:*}/${BOLLARD_HEALTH_ADDRESS##*:} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/local/bin/bollard"]
CMD ["agent", "--config", "/etc/bollard/agent.yaml"]
