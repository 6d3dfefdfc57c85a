namespace Ticker.Tests.Monitoring;

/// <summary>What a <see cref="PrometheusServer"/> scrapes and evaluates.</summary>
internal sealed class PrometheusServerOptions
{
    /// <summary>The <c>host:port</c> targets of job <c>ticker</c>.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Rule files or globs to load.</summary>
    public IReadOnlyList<string> RuleFiles { get; init; } = [];

    /// <summary>The <c>host:port</c> of the Alertmanagers to send alerts to (none: alerts stay in Prometheus).</summary>
    public IReadOnlyList<string> Alertmanagers { get; init; } = [];

    /// <summary>Whether to pass <c>--web.enable-lifecycle</c> (needed for <c>POST /-/reload</c>).</summary>
    public bool EnableLifecycle { get; init; }
}
