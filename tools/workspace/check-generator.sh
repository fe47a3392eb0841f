#!/usr/bin/env bash
# Proves the service generator's output passes its checks: generates a service in a scratch copy of the
# workspace (node_modules linked), then runs its lint, typecheck, tests and the dev synthesis (cdk-nag
# included) there, and the contracts' tests (its sample event). The copy is removed afterwards.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d)"
trap '[ -n "${KEEP_SCRATCH:-}" ] || rm -rf "$scratch"' EXIT
echo "scratch copy: $scratch"
cd "$root"
# The tracked and the new (not ignored) files, as they are now.
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$scratch" 2>/dev/null || true
ln -s "$root/node_modules" "$scratch/node_modules"
cd "$scratch"
export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true NX_WORKSPACE_DATA_DIRECTORY="$scratch/.nx/workspace-data"
npx nx g @order-platform/workspace:service estoque --no-interactive
npx nx run-many -t lint typecheck test -p estoque contracts --parallel=2 --outputStyle=static --skip-nx-cache
npx nx run estoque:synth --outputStyle=static --skip-nx-cache
test -f dist/cdk.out/dev/OrderPlatform-dev-Estoque.template.json
echo "check-generator: the generated service passes lint, typecheck, test and synth"
