using System.Runtime.InteropServices;

namespace Ticker.Silo.Commands;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into cancellation for a command that runs without a host's console lifetime
/// (System.CommandLine 2.0.0 leaves its own handling off), so the command stops its work, flushes and prints its
/// summary. A second signal terminates the process as usual.
/// </summary>
internal sealed class CommandSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    /// <summary>Starts listening; <see cref="Token"/> is also cancelled with <paramref name="cancellationToken"/>.</summary>
    public CommandSignals(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        _stop.Cancel();
    }
}
