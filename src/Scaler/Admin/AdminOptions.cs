using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

/// <summary>Options of the admin API.</summary>
public sealed class AdminOptions
{
    /// <summary>A file holding the bearer token; null: one is generated once into <see cref="StateDirectory"/>/admin.token.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Where a generated token is kept.</summary>
    public string StateDirectory { get; set; } = State.StateDirectory.Default;

    /// <summary>The file the token is read from.</summary>
    public string EffectiveTokenFile => TokenFile ?? Path.Combine(StateDirectory, AdminToken.DefaultFileName);

    /// <summary>The largest request body accepted (spec files).</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;
}
