#!/usr/bin/env bash
# monitoring/deploy.sh — validate and deploy the ticker's monitoring:
#   1. checks the rule files (alerts/tick-processing-alerts.yml, alerts/cluster-alerts.yml, alerts/slo-rules.yml) with
#      promtool check rules, runs their unit tests (promtool test rules on each *.test.yml) and checks
#      prometheus.yml (promtool check config) and alertmanager.yml (amtool check-config);
#   2. installs the rule files into PROMETHEUS_RULES_DIR (when set) and reloads Prometheus (POST $PROMETHEUS_URL/-/reload;
#      Prometheus must run with --web.enable-lifecycle);
#   3. installs alertmanager.yml at ALERTMANAGER_CONFIG (when set), with the receivers' webhook URLs, and reloads
#      Alertmanager (POST $ALERTMANAGER_URL/-/reload);
#   4. imports the Grafana dashboard through Grafana's HTTP API (POST $GRAFANA_URL/api/dashboards/db).
#
# Usage: monitoring/deploy.sh [--check]        (--check: step 1 only)
# Environment:
#   GRAFANA_URL          Grafana base URL, e.g. http://grafana:3000 (required unless SKIP_GRAFANA=1)
#   GRAFANA_TOKEN        a Grafana service-account token with dashboard write permission (required with GRAFANA_URL)
#   GRAFANA_FOLDER_UID   the folder to import into (optional; default: General)
#   PROMETHEUS_URL       Prometheus base URL (default http://127.0.0.1:9090); SKIP_PROMETHEUS=1 skips the reload
#   PROMETHEUS_RULES_DIR where Prometheus loads rule files from (optional; rules are copied there before the reload)
#   ALERTMANAGER_CONFIG  the file Alertmanager reads its configuration from (optional; written before the reload)
#   ALERTMANAGER_CRITICAL_WEBHOOK_URL, ALERTMANAGER_WARNING_WEBHOOK_URL
#                        where critical alerts (pages) and warnings (tickets) are posted (default: the
#                        http://127.0.0.1:9095/critical and /warning of alertmanager.yml)
#   ALERTMANAGER_URL     Alertmanager base URL (default http://127.0.0.1:9093); SKIP_ALERTMANAGER=1 skips the reload
#   RUNBOOK_BASE_URL     replaces the relative "monitoring/README.md" in the alerts' runbook_url when installing
#                        (e.g. https://git.example.com/ticker/blob/main/monitoring/README.md)
# Exit status: 0 when every step asked for succeeded, non-zero (with a message on stderr) otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rule_files=("$here/alerts/tick-processing-alerts.yml" "$here/alerts/cluster-alerts.yml" "$here/alerts/slo-rules.yml")
dashboard="$here/grafana/tick-processing-dashboard.json"
check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

fail() { echo "deploy: $*" >&2; exit 1; }
command -v promtool >/dev/null 2>&1 || fail "promtool not found (Debian: apt-get install prometheus)"
command -v amtool >/dev/null 2>&1 || fail "amtool not found (Debian: apt-get install prometheus-alertmanager)"

# 1. Validate.
for rules in "${rule_files[@]}"; do
  promtool check rules "$rules" >&2 || fail "rules in $(basename "$rules") are invalid"
  rule_tests="${rules%.yml}.test.yml"
  (cd "$(dirname "$rule_tests")" && promtool test rules "$(basename "$rule_tests")") >&2 || fail "rule tests in $(basename "$rule_tests") failed"
done
promtool check config "$here/prometheus.yml" >&2 || fail "prometheus.yml is invalid"
amtool check-config "$here/alertmanager.yml" >&2 || fail "alertmanager.yml is invalid"
echo "rules: valid, tests pass"
((check_only)) && exit 0

command -v curl >/dev/null 2>&1 || fail "curl not found"

# 2. Install the rules and reload Prometheus.
if [[ -n "${PROMETHEUS_RULES_DIR:-}" ]]; then
  mkdir -p "$PROMETHEUS_RULES_DIR"
  for rules in "${rule_files[@]}"; do
    target="$PROMETHEUS_RULES_DIR/$(basename "$rules")"
    if [[ -n "${RUNBOOK_BASE_URL:-}" ]]; then
      sed "s|runbook_url: \"monitoring/README.md|runbook_url: \"${RUNBOOK_BASE_URL}|" "$rules" >"$target.tmp"
    else
      cp "$rules" "$target.tmp"
    fi
    promtool check rules "$target.tmp" >&2 || fail "installed rules are invalid (check RUNBOOK_BASE_URL)"
    mv "$target.tmp" "$target"
    echo "rules: installed in $target"
  done
fi

if [[ "${SKIP_PROMETHEUS:-0}" != 1 ]]; then
  prometheus_url="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
  curl -fsS -X POST "${prometheus_url%/}/-/reload" >/dev/null \
    || fail "reloading Prometheus at $prometheus_url failed (is it running with --web.enable-lifecycle?)"
  echo "prometheus: reloaded $prometheus_url"
fi

# 3. Install the Alertmanager configuration with the receivers' URLs and reload Alertmanager.
if [[ -n "${ALERTMANAGER_CONFIG:-}" ]]; then
  critical_url="${ALERTMANAGER_CRITICAL_WEBHOOK_URL:-http://127.0.0.1:9095/critical}"
  warning_url="${ALERTMANAGER_WARNING_WEBHOOK_URL:-http://127.0.0.1:9095/warning}"
  for url in "$critical_url" "$warning_url"; do
    [[ "$url" =~ ^https?://[^[:space:]\"|]+$ ]] || fail "webhook URL '$url' is not an http(s) URL"
  done
  mkdir -p "$(dirname "$ALERTMANAGER_CONFIG")"
  sed -e "s|\"http://127.0.0.1:9095/critical\"|\"${critical_url}\"|" -e "s|\"http://127.0.0.1:9095/warning\"|\"${warning_url}\"|" \
    "$here/alertmanager.yml" >"$ALERTMANAGER_CONFIG.tmp"
  amtool check-config "$ALERTMANAGER_CONFIG.tmp" >&2 || fail "installed alertmanager.yml is invalid (check the webhook URLs)"
  mv "$ALERTMANAGER_CONFIG.tmp" "$ALERTMANAGER_CONFIG"
  echo "alertmanager: configuration installed in $ALERTMANAGER_CONFIG"
fi

if [[ "${SKIP_ALERTMANAGER:-0}" != 1 ]]; then
  alertmanager_url="${ALERTMANAGER_URL:-http://127.0.0.1:9093}"
  curl -fsS -X POST "${alertmanager_url%/}/-/reload" >/dev/null \
    || fail "reloading Alertmanager at $alertmanager_url failed (is it running? was the configuration refused?)"
  echo "alertmanager: reloaded $alertmanager_url"
fi

# 4. Import the dashboard. The file has no "id", so Grafana matches it by uid and overwrites the previous version.
if [[ "${SKIP_GRAFANA:-0}" != 1 ]]; then
  [[ -n "${GRAFANA_URL:-}" ]] || fail "GRAFANA_URL is not set (or set SKIP_GRAFANA=1)"
  [[ -n "${GRAFANA_TOKEN:-}" ]] || fail "GRAFANA_TOKEN is not set"
  folder=""
  [[ -n "${GRAFANA_FOLDER_UID:-}" ]] && folder="\"folderUid\": \"${GRAFANA_FOLDER_UID}\", "
  payload="$(mktemp)"
  trap 'rm -f "$payload"' EXIT
  { printf '{%s"overwrite": true, "message": "deployed by monitoring/deploy.sh", "dashboard": ' "$folder"; cat "$dashboard"; printf '}\n'; } >"$payload"
  response="$(curl -sS -w '\n%{http_code}' -X POST "${GRAFANA_URL%/}/api/dashboards/db" \
    -H "Authorization: Bearer ${GRAFANA_TOKEN}" -H "Content-Type: application/json" --data-binary "@$payload")" \
    || fail "could not reach Grafana at $GRAFANA_URL"
  status="${response##*$'\n'}"
  body="${response%$'\n'*}"
  [[ "$status" == 200 ]] || fail "Grafana refused the dashboard (HTTP $status): $body"
  echo "grafana: imported dashboard: $body"
fi
