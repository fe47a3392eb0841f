// @ts-check
/**
 * An Nx plugin that gives every bounded service (a project tagged `type:service`) the same targets, so no
 * service's project.json repeats them: build (its Lambda bundles), lint, typecheck, test, and synth / deploy
 * per stage (`-c dev|prod|local`). Plain JavaScript: Nx loads it without a TypeScript transpiler.
 */
const { createNodesFromFiles } = require('@nx/devkit');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const stages = (names) => ({
  options: { stage: 'dev' },
  configurations: Object.fromEntries(names.map((stage) => [stage, { stage }])),
  defaultConfiguration: 'dev',
});

/** The targets of the service at `root` (`apps/<name>`). */
function serviceTargets(root, name) {
  return {
    build: {
      command: `tsx tools/scripts/src/build-lambdas.ts ${name}`,
      inputs: ['production', '^production', '{workspaceRoot}/tools/scripts/src/build-lambdas.ts'],
      outputs: [`{workspaceRoot}/dist/apps/${name}`],
    },
    lint: { command: `eslint ${root}` },
    typecheck: { command: `tsc -p ${root}/tsconfig.json` },
    test: { executor: '@nx/jest:jest', options: { jestConfig: `${root}/jest.config.js` } },
    synth: {
      dependsOn: ['build'],
      command: `tsx tools/scripts/src/synth.ts {args.stage} ${name}`,
      ...stages(['dev', 'prod', 'local']),
    },
    deploy: {
      dependsOn: ['build'],
      command: `tsx tools/scripts/src/deploy.ts {args.stage} ${name}`,
      ...stages(['dev', 'prod']),
    },
  };
}

module.exports.serviceTargets = serviceTargets;

/** @type {import('@nx/devkit').CreateNodesV2} */
module.exports.createNodesV2 = [
  'apps/*/project.json',
  (files, options, context) =>
    createNodesFromFiles(
      (file) => {
        const project = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8'));
        if (!(project.tags ?? []).includes('type:service')) return {};
        const root = dirname(file);
        return { projects: { [root]: { targets: serviceTargets(root, project.name) } } };
      },
      files,
      options,
      context,
    ),
];
