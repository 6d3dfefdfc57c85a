namespace Ticker.Client.Recording;

/// <summary>What <see cref="KiteRecordingFormat.TryReadRecord"/> found at the start of its input.</summary>
public enum KiteRecordStatus
{
    /// <summary>A whole record.</summary>
    Complete = 0,

    /// <summary>The start of a record: more bytes are needed.</summary>
    NeedMore = 1,

    /// <summary>Not a record: an over-long varint or a frame longer than <see cref="KiteRecordingFormat.MaxFrameLength"/>.</summary>
    Corrupt = 2,
}
