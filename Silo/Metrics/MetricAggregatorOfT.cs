using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Ticker.Silo.Metrics;

/// <summary>
/// An aggregator whose label sets each map to a series object. The lookup from a measurement's tags to its series
/// is a scan of a small copy-on-write array comparing keys and values by reference first, so the recording path
/// takes no lock and allocates nothing once a label set has been seen.
/// </summary>
/// <typeparam name="TSeries">The per-label-set state.</typeparam>
internal abstract class MetricAggregator<TSeries> : MetricAggregator
    where TSeries : class
{
    /// <summary>The default value for the most label sets one metric keeps before folding new ones into an overflow series.</summary>
    public const int DefaultMaxSeries = 2000;

    /// <summary>The label that marks the overflow series.</summary>
    public const string OverflowLabel = "otel_metric_overflow";

    private readonly Lock _addLock = new();
    private readonly Dictionary<string, TSeries> _byLabels = new(StringComparer.Ordinal);
    private readonly KeyValuePair<string, object?>[] _instrumentTags;
    private readonly int _maxSeries;
    private Entry[] _entries = [];
    private Labelled[] _ordered = [];

    /// <summary>Creates the aggregator.</summary>
    protected MetricAggregator(Instrument instrument, string name, PrometheusMetricType type, bool isFloatingPoint, int maxSeries)
        : base(instrument, name, type, isFloatingPoint)
    {
        _maxSeries = maxSeries;
        _instrumentTags = instrument.Tags is null ? [] : [.. instrument.Tags];
    }

    /// <summary>The series and their label text (sorted by labels) as of now.</summary>
    protected ReadOnlySpan<Labelled> Series => Volatile.Read(ref _ordered);

    /// <summary>Finds (or creates) the series of a label set.</summary>
    /// <remarks>Allocates nothing when the label set has been seen before.</remarks>
    protected TSeries GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var entries = Volatile.Read(ref _entries);
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Matches(tags))
            {
                return entries[i].Series;
            }
        }

        return AddSeries(tags);
    }

    /// <summary>Creates the state of a new label set.</summary>
    protected abstract TSeries CreateSeries();

    private TSeries AddSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_addLock)
        {
            var entries = _entries;
            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i].Matches(tags))
                {
                    return entries[i].Series;
                }
            }

            // The same labels in another order (or with other string instances) share the series; the new
            // ordering gets its own entry so that it, too, is found on the fast path next time.
            var labels = FormatLabels(tags, _instrumentTags);
            if (!_byLabels.TryGetValue(labels, out var series))
            {
                if (_byLabels.Count >= _maxSeries)
                {
                    // Too many label sets: fold the rest into one series rather than grow without bound. No entry
                    // is added, so such measurements keep taking this slow path; the cap exists for bugs, not load.
                    return GetOrAddLabelled(OverflowLabel + "=\"true\"");
                }

                series = GetOrAddLabelled(labels);
            }

            var copy = new Entry[entries.Length + 1];
            Array.Copy(entries, copy, entries.Length);
            copy[^1] = new Entry(tags.ToArray(), series);
            Volatile.Write(ref _entries, copy);
            return series;
        }
    }

    private TSeries GetOrAddLabelled(string labels)
    {
        if (_byLabels.TryGetValue(labels, out var existing))
        {
            return existing;
        }

        var series = CreateSeries();
        _byLabels.Add(labels, series);
        var ordered = _ordered;
        var index = 0;
        while (index < ordered.Length && string.CompareOrdinal(ordered[index].Labels, labels) < 0)
        {
            index++;
        }

        var copy = new Labelled[ordered.Length + 1];
        Array.Copy(ordered, 0, copy, 0, index);
        copy[index] = new Labelled(labels, series);
        Array.Copy(ordered, index, copy, index + 1, ordered.Length - index);
        Volatile.Write(ref _ordered, copy);
        return series;
    }

    /// <summary>Formats a label set as <c>a="x",b="y"</c> (sorted by name, names sanitised, values escaped).</summary>
    internal static string FormatLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags, ReadOnlySpan<KeyValuePair<string, object?>> constant)
    {
        if (tags.Length == 0 && constant.Length == 0)
        {
            return string.Empty;
        }

        var pairs = new List<KeyValuePair<string, string>>(tags.Length + constant.Length);
        Add(pairs, constant);
        Add(pairs, tags);
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(key).Append("=\"").Append(PrometheusNaming.EscapeLabelValue(value)).Append('"');
        }

        return text.ToString();

        static void Add(List<KeyValuePair<string, string>> pairs, ReadOnlySpan<KeyValuePair<string, object?>> source)
        {
            foreach (var (key, value) in source)
            {
                var name = PrometheusNaming.LabelName(key);
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                var existing = pairs.FindIndex(p => p.Key == name);
                if (existing >= 0)
                {
                    // A measurement tag overrides an instrument tag of the same name.
                    pairs[existing] = new(name, text);
                }
                else
                {
                    pairs.Add(new(name, text));
                }
            }
        }
    }

    /// <summary>A label set's formatted labels and its series.</summary>
    /// <param name="Labels">The labels as <c>a="x",b="y"</c>, or empty.</param>
    /// <param name="Series">The series.</param>
    protected readonly record struct Labelled(string Labels, TSeries Series);

    private sealed class Entry(KeyValuePair<string, object?>[] tags, TSeries series)
    {
        public TSeries Series { get; } = series;

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
        {
            var mine = tags;
            if (mine.Length != other.Length)
            {
                return false;
            }

            for (var i = 0; i < mine.Length; i++)
            {
                var key = other[i].Key;
                var value = other[i].Value;
                if (!ReferenceEquals(mine[i].Key, key) && !string.Equals(mine[i].Key, key, StringComparison.Ordinal))
                {
                    return false;
                }

                if (!ReferenceEquals(mine[i].Value, value) && !Equals(mine[i].Value, value))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
