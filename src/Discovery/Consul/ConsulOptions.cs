namespace Bollard.Discovery.Consul;

/// <summary>How to reach the Consul agent. The defaults match a local agent (`consul agent` on loopback).</summary>
public sealed class ConsulOptions
{
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:8500");

    /// <summary>The local agent's HTTP API; registrations go to this agent, which runs the health checks.</summary>
    public Uri Address { get; set; } = DefaultAddress;

    /// <summary>ACL token sent as <c>X-Consul-Token</c>. Never logged. Mutually exclusive with <see cref="TokenFile"/>.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the ACL token (so that it stays out of config files and process arguments).</summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// PEM file of the CA (or CAs) that signed Consul's HTTPS certificate: only they are trusted for it (not the
    /// system's store). Null: the system's trusted CAs. Used with an https <see cref="Address"/>.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate shown to Consul (when it verifies clients: <c>verify_incoming_https</c>); with <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key of <see cref="CertFile"/>. Never logged.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Datacenter for catalog, health, KV and session queries; the agent's own when empty.</summary>
    public string? Datacenter { get; set; }

    /// <summary>
    /// How long one blocking query may wait for a change. Consul caps it at 10 minutes and adds up to wait/16 of
    /// jitter; a minute keeps idle connections short-lived behind proxies while still costing almost nothing.
    /// </summary>
    public TimeSpan BlockingWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of every non-blocking call (and the margin added to a blocking call's wait).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Rate limit of a watch loop: at most a burst of two queries, then one per this interval, so that an index
    /// that changes on every write (or a buggy one) degrades into polling instead of a busy loop.
    /// </summary>
    public TimeSpan MinQueryInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Cap of the exponential backoff between failed watch queries.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The problems with these options, empty when they are usable. Messages name the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Address is null || !Address.IsAbsoluteUri || (Address.Scheme != Uri.UriSchemeHttp && Address.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Consul Address must be an absolute http(s) URI, e.g. {DefaultAddress}; got '{Address}'.");
        }

        if (!string.IsNullOrEmpty(Token) && !string.IsNullOrEmpty(TokenFile))
        {
            errors.Add("Consul Token and TokenFile are both set; set only one.");
        }
        else if (!string.IsNullOrEmpty(TokenFile) && !File.Exists(TokenFile))
        {
            errors.Add($"Consul TokenFile '{TokenFile}' does not exist.");
        }

        errors.AddRange(ConsulTls.Problems(this));

        if (BlockingWait <= TimeSpan.Zero || BlockingWait > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Consul BlockingWait must be within (0, 10 minutes] (Consul's own cap); got {BlockingWait}.");
        }

        Positive(errors, nameof(RequestTimeout), RequestTimeout);
        Positive(errors, nameof(MinQueryInterval), MinQueryInterval);
        Positive(errors, nameof(MaxRetryBackoff), MaxRetryBackoff);
        return errors;
    }

    /// <summary>The token itself is deliberately left out: options end up in logs and exception messages.</summary>
    public override string ToString() =>
        $"Consul {Address} (dc: {(string.IsNullOrEmpty(Datacenter) ? "agent's" : Datacenter)}, token: {(HasToken ? "set" : "none")}, " +
        $"CA: {CaFile ?? "system"}, client certificate: {CertFile ?? "none"})";

    internal bool HasToken => !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(TokenFile);

    internal string? ReadToken() =>
        !string.IsNullOrEmpty(Token) ? Token
        : !string.IsNullOrEmpty(TokenFile) ? File.ReadAllText(TokenFile).Trim()
        : null;

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Consul {name} must be positive; got {value}.");
        }
    }
}
