#!/usr/bin/env bash
# The official Formance TypeScript SDK against authemu as its gateway (scripts/interop_formance_sdk.mjs):
# getVersions() and the services' info calls that an SDK-based app makes at start-up.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

start_server
run_checks node scripts/interop_formance_sdk.mjs "$URL" build/node
finish
