using System.Text;

namespace Ticker.Tests.Monitoring;

/// <summary>
/// Reads the alert rules file as written in this repository (one <c>- alert:</c> item per rule, a block-scalar
/// <c>expr: |</c>, a <c>severity</c> label and a <c>runbook_url</c> annotation): enough for checks that need the
/// rules' names, expressions and links. <c>promtool check rules</c> validates the file itself.
/// </summary>
internal static class AlertRuleFile
{
    /// <summary>The alerting rules of every rule file (recording rules are left out).</summary>
    public static IReadOnlyList<AlertRule> LoadAll() => [.. RepositoryPaths.RuleFiles.SelectMany(file => Load(file))];

    public static IReadOnlyList<AlertRule> Load(string? path = null)
    {
        var rules = new List<AlertRule>();
        string? name = null, severity = null, runbook = null;
        var expr = new StringBuilder();
        var inExpr = false;
        var exprIndent = -1;

        foreach (var raw in File.ReadLines(path ?? RepositoryPaths.AlertRules))
        {
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            var indent = line.Length - trimmed.Length;
            if (inExpr)
            {
                if (trimmed.Length > 0 && (exprIndent < 0 || indent >= exprIndent))
                {
                    exprIndent = exprIndent < 0 ? indent : exprIndent;
                    expr.Append(trimmed).Append(' ');
                    continue;
                }

                if (trimmed.Length > 0)
                {
                    inExpr = false;
                }
            }

            if (trimmed.StartsWith("- alert:", StringComparison.Ordinal))
            {
                Flush();
                name = trimmed["- alert:".Length..].Trim();
            }
            else if (trimmed.StartsWith("- record:", StringComparison.Ordinal))
            {
                Flush();
            }
            else if (trimmed.StartsWith("expr:", StringComparison.Ordinal))
            {
                var inline = trimmed["expr:".Length..].Trim();
                if (inline is "|" or ">")
                {
                    inExpr = true;
                    exprIndent = -1;
                }
                else
                {
                    expr.Append(inline);
                }
            }
            else if (trimmed.StartsWith("severity:", StringComparison.Ordinal))
            {
                severity = trimmed["severity:".Length..].Trim();
            }
            else if (trimmed.StartsWith("runbook_url:", StringComparison.Ordinal))
            {
                runbook = trimmed["runbook_url:".Length..].Trim().Trim('"', '\'');
            }
        }

        Flush();
        return rules;

        void Flush()
        {
            if (name is not null)
            {
                rules.Add(new AlertRule(name, expr.ToString().Trim(), severity ?? string.Empty, runbook ?? string.Empty));
            }

            name = severity = runbook = null;
            expr.Clear();
            inExpr = false;
        }
    }

    /// <summary>One alerting rule.</summary>
    internal sealed record AlertRule(string Name, string Expr, string Severity, string RunbookUrl);
}
