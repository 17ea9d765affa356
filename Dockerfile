# An image of the Bollard daemon. It drives the host's Docker engine through the mounted socket:
#
#   dotnet publish src/Bollard -c Release -r linux-x64 --self-contained \
#       -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:InvariantGlobalization=true -o out/bollard
#   docker build -t bollard:latest .
#   docker run -d --name bollard --network host \
#       -v /var/run/docker.sock:/var/run/docker.sock \
#       -v /etc/bollard:/etc/bollard:ro \
#       bollard:latest
#
# --network host lets the balancer listen on the host's addresses and reach replicas published on loopback.
# scripts/build-daemon-image.sh does all of it (and works without a registry).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY out/bollard/bollard /usr/local/bin/bollard
ENV DOTNET_gcServer=1
ENTRYPOINT ["/usr/local/bin/bollard"]
CMD ["agent", "--config", "/etc/bollard/agent.yaml"]
