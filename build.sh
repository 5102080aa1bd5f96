#!/usr/bin/env bash
# One entry point for a fresh Debian machine with the .NET 10 SDK.
#   ./build.sh test     installs redis-server if missing, runs every test (TRX results in artifacts/test-results)
#   ./build.sh sample   runs the sample API (Redis optional: without it the sample serves from L1 + SQLite)
#   ./build.sh bench    runs the BenchmarkDotNet suite
#   ./build.sh httpbench  runs the HTTP throughput benchmark (wrk against a real redis-server; installs both if missing)
set -euo pipefail
cd "$(dirname "$0")"

command_name="${1:-test}"
shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Installs Debian packages (with sudo when not root); a fresh CI machine has none of the tools below.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
    return 0
  fi
  echo "redis-server not found: installing it from the Debian packages" >&2
  apt_install redis-server
  # The package starts a system service on 6379; the tests start their own servers on free ports instead.
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  ($sudo service redis-server stop || true) >/dev/null 2>&1
}

# Native AOT (the AotConsumer test) links with clang; Debian ships it versioned (clang-14 on bookworm).
ensure_clang() {
  if compgen -c clang | grep -qxE 'clang(-[0-9]+)?'; then
    return 0
  fi
  echo "clang not found: installing it from the Debian packages (Native AOT links with it)" >&2
  apt_install clang
}

ensure_wrk() {
  if command -v wrk >/dev/null 2>&1; then
    return 0
  fi
  echo "wrk not found: installing it from the Debian packages" >&2
  apt_install wrk
}

case "$command_name" in
  test)
    ensure_redis
    ensure_clang
    results="artifacts/test-results"
    rm -rf "$results"
    dotnet test Caching.Generators.sln -c Release --logger "trx" --results-directory "$results" "$@"
    ;;
  sample)
    dotnet run --project samples/GpuProxy -c Release "$@"
    ;;
  bench)
    ensure_redis
    dotnet run --project tests/Caching.Benchmarks -c Release -- "$@"
    ;;
  httpbench)
    ensure_redis
    ensure_wrk
    dotnet run --project tests/Caching.HttpBenchmarks -c Release -- "$@"
    ;;
  *)
    echo "usage: ./build.sh [test|sample|bench|httpbench] [extra arguments]" >&2
    exit 2
    ;;
esac
