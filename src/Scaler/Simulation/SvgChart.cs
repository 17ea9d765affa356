using System.Globalization;
using System.Net;
using System.Text;

namespace Bollard.Scaler.Simulation;

/// <summary>
/// A self-contained SVG chart of a simulation: the trace's load (requests/s, left axis) and each policy's replica count
/// (right axis) over time. No script, no external reference: a browser opens it as it is. Pure: returns the text.
/// </summary>
/// <remarks>The load line keeps each horizontal pixel's peak, so a long trace stays small without hiding its spikes.</remarks>
public static class SvgChart
{
    private const int Width = 960;
    private const int Height = 420;
    private const int Left = 70;
    private const int Right = 60;
    private const int Top = 40;
    private const int Bottom = 50;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    public static string Render(LoadTrace trace, IReadOnlyList<SimulationResult> results)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(results);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var duration = trace.Duration.TotalSeconds;
        var maxRps = NiceCeiling(trace.Points.Max(p => p.RequestsPerSecond));
        var maxReplicas = NiceCeiling(results.Count == 0 ? 1 : results.Max(r => r.PeakReplicas));
        double X(double seconds) => Left + (seconds / duration * plotWidth);
        double YRps(double rps) => Top + plotHeight - (rps / maxRps * plotHeight);
        double YReplicas(double count) => Top + plotHeight - (count / maxReplicas * plotHeight);

        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text x=\"{Left}\" y=\"22\" font-size=\"15\">{Escape($"bollard simulate: {trace.Source}")}</text>\n"));
        Axes(svg, duration, maxRps, maxReplicas, plotWidth, plotHeight);
        svg.Append(Inv($"<polyline fill=\"none\" stroke=\"#999999\" stroke-width=\"1\" points=\"{LoadPoints(trace, plotWidth, X, YRps)}\"><title>load (requests/s)</title></polyline>\n"));
        for (var i = 0; i < results.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{ReplicaPoints(results[i], X, YReplicas)}\"><title>{Escape(results[i].Source)}: replicas</title></polyline>\n"));
        }

        Legend(svg, results);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Axes(StringBuilder svg, double duration, double maxRps, double maxReplicas, int plotWidth, int plotHeight)
    {
        var bottom = Top + plotHeight;
        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#333333\"/>\n"));
        for (var i = 0; i <= 5; i++)
        {
            var y = Top + (plotHeight * (5 - i) / 5.0);
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotWidth}\" y2=\"{y:0.#}\" stroke=\"#eeeeee\"/>\n"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{maxRps * i / 5:0.##}</text>\n"));
            svg.Append(Inv($"<text x=\"{Left + plotWidth + 6}\" y=\"{y + 4:0.#}\">{maxReplicas * i / 5:0.##}</text>\n"));
        }

        for (var i = 0; i <= 6; i++)
        {
            var x = Left + (plotWidth * i / 6.0);
            svg.Append(Inv($"<text x=\"{x:0.#}\" y=\"{bottom + 18}\" text-anchor=\"middle\">{Elapsed(duration * i / 6)}</text>\n"));
        }

        svg.Append(Inv($"<text x=\"16\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 16 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">requests/s</text>\n"));
        svg.Append(Inv($"<text x=\"{Width - 14}\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(90 {Width - 14} {Top + (plotHeight / 2)})\" text-anchor=\"middle\">replicas</text>\n"));
        svg.Append(Inv($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 10}\" text-anchor=\"middle\">time since the trace's start</text>\n"));
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<SimulationResult> results)
    {
        var x = Left + 10;
        svg.Append(Inv($"<line x1=\"{x}\" y1=\"{Top + 14}\" x2=\"{x + 20}\" y2=\"{Top + 14}\" stroke=\"#999999\"/><text x=\"{x + 26}\" y=\"{Top + 18}\">load (requests/s)</text>\n"));
        for (var i = 0; i < results.Count; i++)
        {
            var y = Top + 32 + (i * 18);
            svg.Append(Inv($"<line x1=\"{x}\" y1=\"{y}\" x2=\"{x + 20}\" y2=\"{y}\" stroke=\"{Colors[i % Colors.Length]}\" stroke-width=\"2\"/><text x=\"{x + 26}\" y=\"{y + 4}\">{Escape($"{results[i].Source} ({results[i].Service}): replicas")}</text>\n"));
        }
    }

    /// <summary>A step line of the load, at most two points per horizontal pixel (the pixel's peak).</summary>
    private static string LoadPoints(LoadTrace trace, int plotWidth, Func<double, double> x, Func<double, double> y)
    {
        var duration = trace.Duration.TotalSeconds;
        var peaks = new double[plotWidth + 1];
        var seen = new bool[plotWidth + 1];
        for (var i = 0; i < trace.Points.Length; i++)
        {
            var from = (int)(trace.Points[i].At.TotalSeconds / duration * plotWidth);
            var until = i + 1 < trace.Points.Length ? (int)(trace.Points[i + 1].At.TotalSeconds / duration * plotWidth) : plotWidth;
            for (var px = from; px <= Math.Min(until, plotWidth); px++)
            {
                peaks[px] = seen[px] ? Math.Max(peaks[px], trace.Points[i].RequestsPerSecond) : trace.Points[i].RequestsPerSecond;
                seen[px] = true;
            }
        }

        return string.Join(' ', peaks.Select((rps, px) => Inv($"{x(px * duration / plotWidth):0.#},{y(rps):0.#}")));
    }

    private static string ReplicaPoints(SimulationResult result, Func<double, double> x, Func<double, double> y)
    {
        var points = new List<string> { Inv($"{x(0):0.#},{y(result.InitialReplicas):0.#}") };
        foreach (var change in result.Changes)
        {
            var at = x(change.At.TotalSeconds);
            points.Add(Inv($"{at:0.#},{y(change.From):0.#}"));
            points.Add(Inv($"{at:0.#},{y(change.To):0.#}"));
        }

        points.Add(Inv($"{x(result.Duration.TotalSeconds):0.#},{y(result.Changes.Length > 0 ? result.Changes[^1].To : result.InitialReplicas):0.#}"));
        return string.Join(' ', points);
    }

    /// <summary>1, 2, 2.5 or 5 times a power of ten, at least the value (and at least 1).</summary>
    internal static double NiceCeiling(double value)
    {
        if (!(value > 1))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * power).First(v => v >= value);
    }

    private static string Elapsed(double seconds) =>
        seconds >= 2 * 86400 ? Inv($"{seconds / 86400:0.#}d")
        : seconds >= 2 * 3600 ? Inv($"{seconds / 3600:0.#}h")
        : seconds >= 120 ? Inv($"{seconds / 60:0.#}m")
        : Inv($"{seconds:0.#}s");

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
