using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;

namespace Ticker.Silo.Metrics;

/// <summary>
/// The label value of each member of an enum, in snake_case (<c>BelowIntrinsic</c> becomes <c>below_intrinsic</c>),
/// computed once per enum type so that recording a reason costs a table look-up, not a <c>ToString</c>.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
internal static class EnumLabel<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>The label of a value that is not a declared member.</summary>
    public const string Undefined = "other";

    private const int DenseLimit = 64;

    private static readonly string[] Dense = CreateDense();
    private static readonly FrozenDictionary<long, string> Sparse = CreateSparse();

    /// <summary>The label of <paramref name="value"/>.</summary>
    /// <remarks>Allocates nothing.</remarks>
    public static string Of(TEnum value)
    {
        var key = ToInt64(value);
        if ((ulong)key < (ulong)Dense.Length)
        {
            return Dense[key] ?? Undefined;
        }

        return Sparse.TryGetValue(key, out var label) ? label : Undefined;
    }

    /// <summary>Converts a member name to snake_case.</summary>
    internal static string ToSnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                // A new word starts at an upper-case letter after a lower-case one or a digit, or at the last capital
                // of an acronym followed by a lower-case letter ("IVSolver" -> "iv_solver").
                var boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (boundary && text[^1] != '_')
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ToInt64(TEnum value) => Unsafe.SizeOf<TEnum>() switch
    {
        1 => Unsafe.As<TEnum, byte>(ref value),
        2 => Unsafe.As<TEnum, short>(ref value),
        4 => Unsafe.As<TEnum, int>(ref value),
        _ => Unsafe.As<TEnum, long>(ref value),
    };

    private static string[] CreateDense()
    {
        var max = -1L;
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var key = ToInt64(value);
            if (key is >= 0 and < DenseLimit)
            {
                max = Math.Max(max, key);
            }
        }

        var dense = new string[max + 1];
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var key = ToInt64(value);
            if (key is >= 0 and < DenseLimit)
            {
                dense[key] ??= ToSnakeCase(value.ToString());
            }
        }

        return dense;
    }

    private static FrozenDictionary<long, string> CreateSparse()
    {
        var sparse = new Dictionary<long, string>();
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var key = ToInt64(value);
            if (key is < 0 or >= DenseLimit)
            {
                sparse.TryAdd(key, ToSnakeCase(value.ToString()));
            }
        }

        return sparse.ToFrozenDictionary();
    }
}
