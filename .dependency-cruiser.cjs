// The dependency check (`npm run deps`, part of `npm run check`): the layers of shared/ import only
// downward, nothing imports in a cycle, and development-only code (dev/, test/) stays out of what is
// deployed. The layers are explained in docs/architecture.md; change both together.

/**
 * shared/'s folders, lowest first. A folder imports only folders of lower layers, never a sibling of its
 * own layer; every folder may import the kernel files shared/*.ts (errors, log, config, concurrency),
 * which import no folder.
 */
const LAYERS = [
  ["stac"],
  ["geo", "http", "aws", "quicklook"],
  ["index", "auth"],
  ["storage"],
  ["stats", "search", "zip"],
  ["hdf5", "subscriptions"],
  ["products"],
  ["ingest", "download", "lifecycle", "export"],
  ["transactions", "dhus"],
  ["jobs"],
  ["api"],
];

const folders = LAYERS.flat();
const anyOf = (names) => `^shared/(${names.join("|")})/`;

/** One rule per folder: nothing from its own layer (but itself) or any layer above. */
const layerRules = LAYERS.flatMap((layer, i) =>
  layer.map((folder) => {
    const notBelow = LAYERS.slice(i)
      .flat()
      .filter((f) => f !== folder);
    return {
      name: `layers-${folder}`,
      comment: `shared/${folder}/ (layer ${i}) imports only folders of lower layers (docs/architecture.md)`,
      severity: "error",
      from: { path: `^shared/${folder}/` },
      to: { path: anyOf(notBelow) },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "a cycle of imports (type-only imports count: they knot the design all the same)",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "layers-kernel",
      comment: "the kernel files shared/*.ts (errors, log, config, concurrency) import no folder of shared/",
      severity: "error",
      from: { path: "^shared/[^/]+\\.ts$" },
      to: { path: "^shared/[^/]+/" },
    },
    ...layerRules,
    {
      name: "layers-unknown-folder",
      comment: "every folder of shared/ has a layer: add a new one to LAYERS and docs/architecture.md",
      severity: "error",
      from: { path: "^shared/" },
      to: { path: "^shared/[^/]+/", pathNot: anyOf(folders) },
    },
    {
      name: "deployed-code-not-to-dev",
      comment: "shared/ and lambdas/ are deployed: they import nothing from dev/ or test/",
      severity: "error",
      from: { path: "^(shared|lambdas)/" },
      to: { path: "^(dev|test)/" },
    },
    {
      name: "cdk-not-to-dev",
      comment: "the CDK app imports nothing from dev/ or test/",
      severity: "error",
      from: { path: "^cdk/" },
      to: { path: "^(dev|test)/" },
    },
    {
      name: "shared-not-to-roots",
      comment: "shared/ is the domain: it imports no composition root (lambdas/) and no CDK (cdk/)",
      severity: "error",
      from: { path: "^shared/" },
      to: { path: "^(lambdas|cdk)/" },
    },
  ],
  options: {
    // Type-only imports are dependencies too: seven of the eight imports that knotted shared/ were.
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|cdk\\.out|\\.data)/" },
    tsConfig: { fileName: "tsconfig.json" },
  },
};
