using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ticker.Client.Synthetic;
using Ticker.Grains.Instruments;
using Ticker.Grains.Interfaces.Streams;
using Ticker.Grains.Interfaces.Ticks;
using Xunit.Abstractions;

namespace Ticker.Tests.Grains.Ticks;

/// <summary>The tick stream's packed payload: lossless, smaller for the modes that leave fields empty, and strict about what it accepts.</summary>
public sealed class TickPayloadUnitTests(ITestOutputHelper output)
{
    private static readonly Tick[] Market = SyntheticTicks(2_000);

    [Fact]
    public void Synthetic_ticks_of_every_mode_come_back_byte_for_byte()
    {
        var batch = new TickBatch(Market);

        Assert.True(batch.TryCount(out var count));
        Assert.Equal(Market.Length, count);
        Assert.Equal(Bytes(Market), Bytes(batch.ToArray()));
        Assert.Equal([TickMode.Ltp, TickMode.Quote, TickMode.Full], Market.Select(t => t.Mode).Distinct().Order());
    }

    [Fact]
    public void A_tick_whose_every_word_is_set_round_trips_and_an_empty_tick_takes_only_its_mask()
    {
        var full = new Tick();
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref full, 1)).Fill(0xA5);
        Tick[] ticks = [full, default, full];

        var payload = TickPayload.Encode(ticks);

        // The count, a mask per tick, and only the non-zero words (all of the filled ticks' but their padding, none of the empty one's).
        var nonZeroWords = MemoryMarshal.Cast<Tick, ulong>(ticks).ToArray().Count(word => word != 0);
        Assert.InRange(nonZeroWords, 2 * (Unsafe.SizeOf<Tick>() / sizeof(ulong) - 8), 2 * Unsafe.SizeOf<Tick>() / sizeof(ulong));
        Assert.Equal(sizeof(int) + (3 * sizeof(ulong)) + (nonZeroWords * sizeof(ulong)), payload.Length);
        Assert.Equal(Bytes(ticks), Bytes(TickBatch.Wrap(payload).ToArray()));
    }

    [Theory]
    [InlineData(TickMode.Ltp, 0.15)]
    [InlineData(TickMode.Quote, 0.40)]
    [InlineData(TickMode.Full, 1.05)]
    public void Ticks_of_modes_without_depth_take_a_fraction_of_the_raw_layout(TickMode mode, double atMost)
    {
        var ticks = Market.Where(t => t.Mode == mode).ToArray();

        var payload = TickPayload.Encode(ticks);

        output.WriteLine($"{mode}: {(payload.Length - sizeof(int)) / (double)ticks.Length:F1} bytes per tick (raw layout {Unsafe.SizeOf<Tick>()})");
        Assert.NotEmpty(ticks);
        Assert.InRange(payload.Length, 1, atMost * ticks.Length * Unsafe.SizeOf<Tick>());
    }

    [Fact]
    public void A_cut_payload_trailing_bytes_a_word_beyond_the_tick_or_a_wrong_count_are_refused()
    {
        var payload = TickPayload.Encode(Market.AsSpan(0, 10));
        Assert.True(TickPayload.TryCount(payload, out var count));
        Assert.Equal(10, count);

        Assert.False(TickPayload.TryCount(payload.AsSpan(0, payload.Length - 1), out _));
        Assert.False(TickPayload.TryCount([.. payload, 0], out _));
        Assert.False(TickPayload.TryCount(payload.AsSpan(0, 3), out _));

        var beyond = (byte[])payload.Clone();
        var mask = BinaryPrimitives.ReadUInt64LittleEndian(beyond.AsSpan(4));
        BinaryPrimitives.WriteUInt64LittleEndian(beyond.AsSpan(4), mask | (1UL << 63));
        Assert.False(TickPayload.TryCount(beyond, out _));

        foreach (var declared in new[] { -1, 9, 11, int.MaxValue })
        {
            var miscounted = (byte[])payload.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(miscounted, declared);
            Assert.False(TickPayload.TryCount(miscounted, out _));
        }
    }

    [Fact]
    public void A_batch_written_by_another_tick_layout_is_not_counted()
    {
        var payload = TickPayload.Encode(Market.AsSpan(0, 4));
        var foreign = TickBatchWithTickSize(payload, Unsafe.SizeOf<Tick>() + 8);

        Assert.False(foreign.TryCount(out _));
        Assert.Throws<InvalidOperationException>(() => foreign.ToArray());
    }

    [Fact]
    public void Unpacking_allocates_nothing()
    {
        var batch = new TickBatch(Market);
        var destination = new Tick[Market.Length];
        batch.CopyTo(destination);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(batch.TryCount(out _));
        batch.CopyTo(destination);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static Tick[] SyntheticTicks(int count)
    {
        var master = SyntheticMaster.Create(new DateOnly(2025, 11, 21));
        var market = new SyntheticMarket(master, new SyntheticMarketOptions { Instruments = 500 });
        var ticks = new Tick[count];
        var written = 0;
        var nowUs = 1_763_700_000_000_000L;
        while (written < count)
        {
            written += market.NextTicks(ticks.AsSpan(written), nowUs);
            nowUs += 1_000;
        }

        return ticks;
    }

    private static byte[] Bytes(ReadOnlySpan<Tick> ticks) => MemoryMarshal.AsBytes(ticks).ToArray();

    /// <summary>A batch as a producer of another build (another <see cref="Tick"/> size) would have serialized it.</summary>
    private static TickBatch TickBatchWithTickSize(byte[] payload, int tickSize)
    {
        var batch = TickBatch.Wrap(payload);
        typeof(TickBatch).GetProperty(nameof(TickBatch.TickSize))!.SetValue(batch, tickSize);
        return batch;
    }
}
