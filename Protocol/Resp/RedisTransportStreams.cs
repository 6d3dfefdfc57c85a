using System.IO.Pipelines;
using System.Net.Sockets;

namespace Ticker.Protocol.Resp;

/// <summary>An open, authenticated connection: the socket, its stream (TLS or not) and the pipes over it.</summary>
/// <param name="Socket">The TCP socket.</param>
/// <param name="Stream">The stream over it (an <see cref="System.Net.Security.SslStream"/> with TLS).</param>
/// <param name="Input">Reads replies.</param>
/// <param name="Output">Writes commands.</param>
internal sealed record RedisTransportStreams(Socket Socket, Stream Stream, PipeReader Input, PipeWriter Output);
