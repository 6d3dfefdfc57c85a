using Ticker.Silo.KiteMock;

namespace Ticker.Tests.Silo.Hosting;

/// <summary>Samples the mock's open sessions every few milliseconds and keeps the most seen at once.</summary>
internal sealed class OpenSessionWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _most;

    public OpenSessionWatch(KiteMockServer server) => _loop = WatchAsync(server, _stop.Token);

    /// <summary>The most sessions seen open at one sample.</summary>
    public int MostOpen => Volatile.Read(ref _most);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task WatchAsync(KiteMockServer server, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var open = server.OpenSessions.Count;
            if (open > Volatile.Read(ref _most))
            {
                Volatile.Write(ref _most, open);
            }

            try
            {
                await Task.Delay(5, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
