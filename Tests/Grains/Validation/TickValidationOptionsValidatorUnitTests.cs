using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.Grains.Instruments;
using Ticker.Grains.Validation;

namespace Ticker.Tests.Grains.Validation;

public sealed class TickValidationOptionsValidatorUnitTests
{
    private static ValidateOptionsResult Check(Action<TickValidationOptions> configure)
    {
        var options = new TickValidationOptions();
        configure(options);
        return new TickValidationOptionsValidator().Validate(null, options);
    }

    [Fact]
    public void The_defaults_are_valid_and_match_the_plan()
    {
        var options = new TickValidationOptions();

        Assert.True(new TickValidationOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(ValidationMode.Lenient, options.Mode);
        Assert.Equal(1_000_000, options.MaxUnderlyingPrice);
        Assert.Equal(100_000_000, options.MaxOi);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxFutureSkew);
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { nameof(TickValidationOptions.Mode), "7", "Off, Lenient or Strict" },
        { nameof(TickValidationOptions.MaxUnderlyingPrice), "0", "finite number > 0" },
        { nameof(TickValidationOptions.MaxUnderlyingPrice), "NaN", "finite number > 0" },
        { nameof(TickValidationOptions.MaxUnderlyingPrice), "Infinity", "finite number > 0" },
        { nameof(TickValidationOptions.MaxOi), "0", "1.." },
        { nameof(TickValidationOptions.MaxFutureSkew), "-00:00:01", "00:00:00..1.00:00:00" },
        { nameof(TickValidationOptions.MaxFutureSkew), "2.00:00:00", "00:00:00..1.00:00:00" },
        { nameof(TickValidationOptions.ExchangeTimestampGrace), "8.00:00:00", "00:00:00..7.00:00:00" },
        { nameof(TickValidationOptions.LastTradeTimeGrace), "-1.00:00:00", "00:00:00..366.00:00:00" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_names_the_property_and_its_range(string property, string value, string range)
    {
        var result = Check(o =>
        {
            switch (property)
            {
                case nameof(o.Mode): o.Mode = (ValidationMode)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case nameof(o.MaxUnderlyingPrice): o.MaxUnderlyingPrice = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case nameof(o.MaxOi): o.MaxOi = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case nameof(o.MaxFutureSkew): o.MaxFutureSkew = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case nameof(o.ExchangeTimestampGrace): o.ExchangeTimestampGrace = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case nameof(o.LastTradeTimeGrace): o.LastTradeTimeGrace = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains($"Validation:{property}", failure, StringComparison.Ordinal);
        Assert.Contains(range, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTickValidation_binds_the_section_and_builds_a_validator()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Validation:Mode"] = "Strict",
                ["Validation:MaxOi"] = "5000",
                ["Validation:MaxFutureSkew"] = "00:00:05",
            })
            .Build();
        using var provider = new ServiceCollection()
            .AddSingleton(SyntheticMaster.Create(new DateOnly(2025, 11, 21)))
            .AddTickValidation(configuration)
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TickValidationOptions>>().Value;

        Assert.Equal(ValidationMode.Strict, options.Mode);
        Assert.Equal(5_000, options.MaxOi);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxFutureSkew);
        Assert.Equal(ValidationMode.Strict, provider.GetRequiredService<TickValidator>().Mode);
    }

    [Fact]
    public void AddTickValidation_refuses_bad_configuration_with_a_readable_message()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Validation:MaxOi"] = "-3" })
            .Build();
        using var provider = new ServiceCollection().AddTickValidation(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TickValidationOptions>>().Value);

        Assert.Contains("Validation:MaxOi must be in 1..", error.Message, StringComparison.Ordinal);
    }
}
