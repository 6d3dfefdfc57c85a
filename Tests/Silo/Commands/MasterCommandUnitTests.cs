using Ticker.Grains.Instruments;
using Ticker.Silo.Commands;

namespace Ticker.Tests.Silo.Commands;

public sealed class MasterCommandUnitTests
{
    [Fact]
    public void Writes_the_synthetic_master_for_the_date_to_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"master-{Guid.NewGuid():N}.csv");
        try
        {
            var exit = MasterCommand.Run(path, "2025-11-21", TimeProvider.System);

            Assert.Equal(0, exit);
            var loaded = InstrumentCsv.LoadFile(path);
            Assert.Equal(SyntheticMaster.Create(new DateOnly(2025, 11, 21)).Instruments, loaded.Instruments);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("21-11-2025")]
    [InlineData("2025-02-30")]
    [InlineData("tomorrow")]
    public void A_bad_date_fails(string date)
    {
        Assert.NotEqual(0, MasterCommand.Run(Path.Combine(Path.GetTempPath(), "never-written.csv"), date, TimeProvider.System));
    }

    [Fact]
    public void An_unwritable_path_fails()
    {
        Assert.Equal(1, MasterCommand.Run("/proc/no/such/dir/master.csv", "2025-11-21", TimeProvider.System));
    }
}
