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

/**
 * The targets of the service at `root` (`apps/<name>`). Synthesis and deployment build every service first:
 * the CDK app synthesizes all stacks of a stage at once, each from its bundles.
 */
function serviceTargets(root, name, allServices = [name]) {
  const everyBuild = [{ projects: allServices, target: 'build' }, '^build'];
  return {
    build: {
      command: `tsx tools/scripts/src/build-lambdas.ts ${name}`,
      // The bundler and its plugins and stand-ins (nx.json's `bundler`) make the bundles as much as the sources.
      inputs: ['production', '^production', 'bundler'],
      outputs: [`{workspaceRoot}/dist/apps/${name}`],
    },
    lint: { command: `eslint ${root}` },
    typecheck: { command: `tsc -p ${root}/tsconfig.json` },
    test: { executor: '@nx/jest:jest', options: { jestConfig: `${root}/jest.config.js` } },
    synth: {
      dependsOn: everyBuild,
      command: `tsx tools/scripts/src/synth.ts {args.stage} ${name}`,
      ...stages(['dev', 'prod', 'local']),
    },
    deploy: {
      dependsOn: everyBuild,
      command: `tsx tools/scripts/src/deploy.ts {args.stage} ${name}`,
      ...stages(['dev', 'prod']),
    },
  };
}

module.exports.serviceTargets = serviceTargets;

/** @type {import('@nx/devkit').CreateNodesV2} */
module.exports.createNodesV2 = [
  'apps/*/project.json',
  (files, options, context) => {
    const projects = new Map(
      files.map((file) => [file, JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8'))]),
    );
    const isService = (project) => (project.tags ?? []).includes('type:service');
    const services = [...projects.values()].filter(isService).map((p) => p.name);
    return createNodesFromFiles(
      (file) => {
        const project = projects.get(file);
        if (!isService(project)) return {};
        const root = dirname(file);
        return { projects: { [root]: { targets: serviceTargets(root, project.name, services) } } };
      },
      files,
      options,
      context,
    );
  },
];
