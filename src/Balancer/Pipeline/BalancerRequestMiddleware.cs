using Bollard.Balancer.AccessLogs;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Retries;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Pipeline;

/// <summary>
/// Bollard's outer step of every proxied request, first in YARP's pipeline, in this order:
/// <list type="number">
/// <item>metrics: the request is counted in flight, then recorded (Prometheus and the traffic window) with the
/// replica that answered last and its whole time, whatever happened below (503 when no replica is healthy, shed);</item>
/// <item>shedding: above the service's concurrency limit, a 503 with Retry-After at once (no queue);</item>
/// <item>retries: a failed attempt is sent again (see <see cref="RetryAttempts"/>) by re-running the steps
/// below (session affinity, load balancing, ...) over the replicas not tried yet; one slot of the limit for all.</item>
/// </list>
/// One step rather than three, so a request pays for one async state machine and one lookup of its service's state
/// (<see cref="ServiceRequestState"/>) instead of three of each; the request that does not retry allocates nothing here.
/// </summary>
internal sealed class BalancerRequestMiddleware(
    RequestDelegate next, ServiceRequestStates states, RetryBudgets budgets, BalancerMetrics metrics, IOptionsMonitor<BalancerOptions> options, AccessLogs.AccessLogs logs)
{
    private readonly AccessLogs.AccessLogs? _logs = logs.Any ? logs : null;
    private readonly TimeProvider _time = budgets.Time;

    public Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var service = states.For(proxy.Cluster);
        var started = _time.GetTimestamp();
        if (_logs?.For(context.Connection.LocalPort) is { } log)
        {
            return LoggedAsync(context, proxy, service, started, log);
        }

        return HandleAsync(context, proxy, service, started);
    }

    /// <summary>A request on a listener with an access log: its body bytes counted, its line queued when it ends.</summary>
    private async Task LoggedAsync(HttpContext context, IReverseProxyFeature proxy, ServiceRequestState service, long started, AccessLogQueue log)
    {
        var body = CountingResponseBody.Install(context);
        var attempt = new AttemptClock();
        context.Features.Set(attempt);
        var completed = false;
        try
        {
            await HandleAsync(context, proxy, service, started);
            completed = true;
        }
        finally
        {
            log.TryAdd(AccessLogEntries.Of(context, proxy, service.Service, started, attempt.Started, body.Bytes, completed, _time));
        }
    }

    private Task HandleAsync(HttpContext context, IReverseProxyFeature proxy, ServiceRequestState service, long started)
    {
        if (service.HttpsRedirectPort is { } httpsPort && !context.Request.IsHttps)
        {
            HttpsRedirect.Answer(context, httpsPort);
            return Task.CompletedTask;
        }

        service.InFlight.Inc();
        if (!service.Limiter.TryEnter())
        {
            metrics.Shed(service.Service);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            // The settings as they are now (a reload may change them); small numbers format to cached strings.
            context.Response.Headers[HeaderNames.RetryAfter] = options.CurrentValue.Shedding.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Finish(context, proxy, service, started, completed: true);
            return Task.CompletedTask;
        }

        return ProxyAsync(context, proxy, service, started);
    }

    private async Task ProxyAsync(HttpContext context, IReverseProxyFeature proxy, ServiceRequestState service, long started)
    {
        var completed = false;
        var retries = budgets.Options;
        try
        {
            if (retries.MaxRetries == 0)
            {
                AttemptClock.Start(context, _time);
                await next(context);
            }
            else
            {
                service.Budget.RecordRequest(started);
                if (RetryAttempts.ShouldBufferBody(context, retries))
                {
                    await RetryAttempts.BufferBodyAsync(context);
                }

                do
                {
                    AttemptClock.Start(context, _time);
                    await next(context);
                }
                while (RetryAttempts.PrepareRetry(context, proxy, service, retries, _time, metrics));
            }

            completed = true;
        }
        finally
        {
            service.Limiter.Exit();
            Finish(context, proxy, service, started, completed);
        }
    }

    private void Finish(HttpContext context, IReverseProxyFeature proxy, ServiceRequestState service, long started, bool completed)
    {
        service.InFlight.Dec();

        // An exception escaping YARP becomes a 500 from the server unless the response had already started.
        var status = completed || context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
        var finished = _time.GetTimestamp();
        service.TrafficOf(proxy.ProxiedDestination?.Model.Config).Record(status, finished, _time.GetElapsedTime(started, finished));
    }
}
