#!/usr/bin/env bash
# Installs the real programs the integration tests start, when they are missing (Debian packages, as root).
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-tools: missing ${need[*]}; run as root or install them (apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "install-tools: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The Debian packages start their services; the tests start their own on free ports.
  for svc in redis-server prometheus prometheus-alertmanager; do
    (service "$svc" stop || systemctl stop "$svc") >/dev/null 2>&1 || true
  done
fi
