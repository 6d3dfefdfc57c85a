using Microsoft.Extensions.Options;

namespace Ticker.Silo.Options;

/// <summary>Validates <see cref="OrleansHostOptions"/>; a failure names the property and its allowed range.</summary>
public sealed class OrleansHostOptionsValidator : IValidateOptions<OrleansHostOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OrleansHostOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, "Orleans:SiloPort", options.SiloPort, 0, 65535);
        OptionChecks.Range(errors, "Orleans:GatewayPort", options.GatewayPort, 0, 65535);
        OptionChecks.Range(errors, "Orleans:StreamPollPeriod", options.StreamPollPeriod, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        OptionChecks.Range(errors, "Orleans:DeliveryBatchSize", options.DeliveryBatchSize, 1, 10_000);
        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress) && !System.Net.IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            errors.Add($"Orleans:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address");
        }

        return OptionChecks.Result(errors);
    }
}
