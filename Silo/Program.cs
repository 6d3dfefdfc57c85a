using System.CommandLine;
using Ticker.Silo.Commands;

var root = new RootCommand("Ticker: a market-data ticker plant for Indian index options (Kite ticks in, IV + Greeks snapshots out).");
foreach (var command in CommandCatalog.Create())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
