using System.Runtime.CompilerServices;

namespace Ticker.Grains.Interfaces.Ticks;

/// <summary>Five levels of one side of the book, stored inline so a tick needs no array.</summary>
[InlineArray(Levels)]
public struct DepthSide
{
    /// <summary>Levels per side in a Kite full packet.</summary>
    public const int Levels = 5;

    private DepthLevel _level0;
}
