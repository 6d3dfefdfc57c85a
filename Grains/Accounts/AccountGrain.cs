using Ticker.Grains.Interfaces.Accounts;
using Ticker.Grains.Interfaces.Ticks;

namespace Ticker.Grains.Accounts;

/// <summary>
/// The grain of one broker account (key = account id): holds the latest state its feed reported and answers whether
/// the account is active now (connected, with a frame seen within <see cref="AccountDirectory.DefaultStaleAfter"/>,
/// and the feed still reporting).
/// </summary>
public sealed class AccountGrain : Grain, IAccountGrain
{
    private readonly TimeProvider _time;
    private AccountState? _state;

    /// <summary>Creates the grain (Orleans does).</summary>
    public AccountGrain(TimeProvider time) => _time = time;

    /// <inheritdoc />
    public async Task ReportAsync(AccountState state)
    {
        _state = state;

        // Every report, not once: the registry keeps ids in memory and may have been deactivated since.
        await GrainFactory.GetGrain<IAccountRegistryGrain>(0).RegisterAsync(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public Task<AccountState?> GetStateAsync()
    {
        if (_state is not { } state)
        {
            return Task.FromResult<AccountState?>(null);
        }

        // A feed that stopped reporting (its process died) leaves the account inactive, whatever it last said.
        var staleUs = (long)AccountDirectory.DefaultStaleAfter.TotalMicroseconds;
        var nowUs = _time.MicrosecondsNow();
        var active = state.Active && nowUs - state.UpdatedAtUs <= staleUs && nowUs - state.LastHeartbeatUs <= staleUs;
        return Task.FromResult<AccountState?>(state with { Active = active });
    }
}
