namespace Ticker.Grains.Interfaces.Accounts;

/// <summary>
/// One broker account (key = account id): its connections, subscribed instruments and heartbeats as its feed reports
/// them, and whether it is active.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Records the feed's latest view of the account (sent about once a second).</summary>
    Task ReportAsync(AccountState state);

    /// <summary>The account now; inactive when its feed has not reported a fresh frame for a while. Null before the first report.</summary>
    Task<AccountState?> GetStateAsync();
}
