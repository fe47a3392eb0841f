#!/usr/bin/env bash
# `npm test`: format check, lint, typecheck, every project's tests (unit, stack, local cloud, e2e),
# the synth of every stage with cdk-nag, and the chaos scenario. Nx runs two tasks at a time (two cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true
npx prettier --check . --log-level warn
npx nx run contracts:schemas-check
npx nx run-many -t lint typecheck --parallel=2 --outputStyle=static
npx nx run-many -t test --parallel=1 --outputStyle=static
npx nx run infra:synth --outputStyle=static
# The guarantees under injected faults (ADR 0008), with fewer orders than the 1,000 of a full run.
npm run chaos -- --orders 150
