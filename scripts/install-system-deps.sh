#!/usr/bin/env bash
# System packages the lab, the cross-checks and the benchmarks use (Debian 12). Needs root.
set -euo pipefail
pkgs=(tcpdump tshark nginx-light iptables nftables ethtool iputils-ping curl python3-scapy wrk chromium openssl iproute2)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "synack needs these Debian packages: ${missing[*]}; run: sudo $0" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
