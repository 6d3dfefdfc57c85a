using Microsoft.Extensions.Logging;

namespace Ticker.Client.Library;

/// <summary>Settings of a <see cref="TickerClient"/> beyond its Redis connection string.</summary>
public sealed class TickerClientOptions
{
    /// <summary>The default value for <see cref="UpdateBufferCapacity"/>.</summary>
    public const int DefaultUpdateBufferCapacity = 10_000;

    /// <summary>The largest allowed <see cref="UpdateBufferCapacity"/>.</summary>
    public const int MaxUpdateBufferCapacity = 10_000_000;

    /// <summary>
    /// How many updates each subscription buffers for a consumer that has fallen behind (1 to
    /// <see cref="MaxUpdateBufferCapacity"/>). When the buffer is full the oldest update is dropped and counted in
    /// <see cref="TickerClient.DroppedUpdates"/>: a slow consumer never stalls the other subscriptions or makes
    /// memory grow, and it always receives the newest state.
    /// </summary>
    public int UpdateBufferCapacity { get; set; } = DefaultUpdateBufferCapacity;

    /// <summary>The clock that decides today's date in India (the default expiry of a chain); the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where connection events and malformed updates are logged; nowhere when <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (UpdateBufferCapacity is < 1 or > MaxUpdateBufferCapacity)
        {
            throw new ArgumentOutOfRangeException(
                nameof(UpdateBufferCapacity), UpdateBufferCapacity, $"UpdateBufferCapacity must be between 1 and {MaxUpdateBufferCapacity}.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
