using Microsoft.Extensions.Hosting;

namespace Ticker.Silo.Hosting;

/// <summary>
/// A host lifetime that leaves Ctrl-C and SIGTERM alone, for a web host that runs inside a command or a test (the
/// feed's silo, the Kite mock): the command owns the signals and stops the host itself. The default console lifetime
/// would swallow the signal and stop only the host, leaving the command running.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
