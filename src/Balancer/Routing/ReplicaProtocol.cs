namespace Bollard.Balancer.Routing;

/// <summary>How the balancer speaks to a service's replicas (the spec's <c>route.protocol</c>).</summary>
public enum ReplicaProtocol
{
    /// <summary>HTTP/1.1 (the default): what a plain HTTP port speaks.</summary>
    Http1,

    /// <summary>HTTP/2 without TLS, with prior knowledge (h2c): many requests on one connection, trailers.</summary>
    Http2,

    /// <summary>
    /// gRPC: HTTP/2 as <see cref="Http2"/>, and every call is a stream: no response of it is read ahead or held back
    /// for a retry (a request is sent again only when it never reached a replica).
    /// </summary>
    Grpc,
}
