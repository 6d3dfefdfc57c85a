using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ticker.Grains.Instruments;

namespace Ticker.Grains.Validation;

/// <summary>Registers tick validation with a host.</summary>
public static class TickValidationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="TickValidationOptions"/> from <paramref name="section"/> of <paramref name="configuration"/>,
    /// validates it at start-up and registers a singleton <see cref="TickValidator"/> over the registered
    /// <see cref="InstrumentMaster"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration root.</param>
    /// <param name="section">The section to bind; <see cref="TickValidationOptions.SectionName"/> by default.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddTickValidation(this IServiceCollection services, IConfiguration configuration, string section = TickValidationOptions.SectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<TickValidationOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TickValidationOptions>, TickValidationOptionsValidator>());
        services.TryAddSingleton(static provider => new TickValidator(
            provider.GetRequiredService<InstrumentMaster>(),
            provider.GetRequiredService<IOptions<TickValidationOptions>>().Value));
        return services;
    }
}
