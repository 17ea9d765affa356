using Bollard.Discovery.Supervision;

namespace Bollard.Agent.Tls;

/// <summary>
/// Re-reads every HTTPS listener's certificate, key and CA files each <see cref="TlsListeners.ReloadInterval"/> and
/// serves the new ones from the next handshake on when they changed: a renewal by certbot or Vault needs no restart.
/// Files that changed but cannot be used (a renewal half-written, a key that does not match) leave the certificates in
/// force serving; the problem is logged once, shows in /healthz and is checked again at the next interval. Polling
/// rather than file-system events: certbot swaps symbolic links and Vault rewrites files in place, and both are seen
/// the same way by comparing contents, at the cost of reading a few small files now and then.
/// </summary>
internal sealed partial class CertificateReloader(TlsListeners listeners, TimeProvider time, ILogger<CertificateReloader> logger, LoopHealth health)
    : SupervisedBackgroundService("certificate-reload", health)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (listeners.All.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(listeners.ReloadInterval, time, stoppingToken);
            ReloadOnce();
        }
    }

    /// <summary>One pass over every listener; a listener whose files cannot be used marks the loop failing (/healthz shows it).</summary>
    internal void ReloadOnce()
    {
        CertificateFileException? failed = null;
        foreach (var listener in listeners.All)
        {
            try
            {
                if (listener.Reload() is { } material)
                {
                    listener.LastProblem = null;
                    var names = string.Join(", ", material.Certificates.SelectMany(c => c.Names));
                    var until = material.Certificates.Min(c => c.Leaf.NotAfter.ToUniversalTime());
                    LogReloaded(logger, listener.Name, names, until);
                }
            }
            catch (CertificateFileException e)
            {
                failed = e;
                if (listener.LastProblem != e.Message)
                {
                    listener.LastProblem = e.Message;
                    LogNotUsable(logger, listener.Name, e.Message);
                }
            }
        }

        if (failed is not null)
        {
            Status.Failed(failed);
        }
        else
        {
            Status.Succeeded();
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Certificates of {Listener} reloaded from their files: {Names} (valid until {NotAfter:u})")]
    private static partial void LogReloaded(ILogger logger, string listener, string names, DateTime notAfter);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "The certificate files of {Listener} changed but cannot be used; the previous certificates are served and the files are read again at the next interval: {Problem}")]
    private static partial void LogNotUsable(ILogger logger, string listener, string problem);
}
