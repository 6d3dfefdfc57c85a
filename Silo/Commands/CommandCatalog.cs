using System.CommandLine;

namespace Ticker.Silo.Commands;

/// <summary>Every subcommand of <c>./ticker</c>, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    /// <summary>Creates the subcommands.</summary>
    public static IEnumerable<Command> Create()
    {
        yield return DemoCommand.Create();
        yield return SiloCommand.Create();
        yield return FeedCommand.Create();
        yield return KiteMockCommand.Create();
        yield return RecordCommand.Create();
        yield return ChainCommand.Create();
        yield return LoadTestCommand.Create();
        yield return GreeksCommand.Create();
        yield return DecodeCommand.Create();
        yield return MasterCommand.Create();
        yield return ScriptCommands.Test();
        yield return ScriptCommands.Bench();
    }
}
