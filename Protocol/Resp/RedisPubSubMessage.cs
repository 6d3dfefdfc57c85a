namespace Ticker.Protocol.Resp;

/// <summary>A message received on a subscribed channel.</summary>
/// <param name="Channel">The channel it was published to.</param>
/// <param name="Payload">The payload (the message's own array).</param>
/// <param name="Pattern">The pattern that matched, for <c>PSUBSCRIBE</c> deliveries; otherwise <see langword="null"/>.</param>
public readonly record struct RedisPubSubMessage(string Channel, byte[] Payload, string? Pattern);
