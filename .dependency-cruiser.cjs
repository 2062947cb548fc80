// Import rules of kplane (go-like-layout.md, docs/design.md §2), checked by `npm run lint:deps`
// as part of `npm test`. Each rule names the wall it keeps.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles hide layering mistakes and make module initialisation order matter.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'apis-are-leaves',
      severity: 'error',
      comment: 'apis/ holds types and schemas any client may import: it depends on nothing in the repo outside apis/.',
      from: { path: '^apis/' },
      to: { path: '^(pkg|cmd|hack|test)/' },
    },
    {
      name: 'storage-knows-no-http',
      severity: 'error',
      comment: 'pkg/storage stores opaque keys and values; HTTP, users and resources are the server\'s business.',
      from: { path: '^pkg/storage/' },
      to: { path: ['^pkg/(server|client|informer|reconciler|syncer|controller)/', '^apis/', '^(http|https|http2)$'] },
    },
    {
      name: 'controllers-use-the-api',
      severity: 'error',
      comment: 'Controllers, the syncer and the client-side machinery reach data only through the API (pkg/client), so they run in or out of the server process unchanged.',
      from: { path: '^pkg/(reconciler|syncer|controller|informer|client|workqueue|leaderelection|events|conditions|cliplugins)/' },
      to: { path: '^pkg/(storage|server)/' },
    },
    {
      name: 'generic-machinery-knows-no-resource',
      severity: 'error',
      comment: 'The work queue and the controller runner are generic: no API types, no resource packages.',
      from: { path: '^pkg/(workqueue|controller)/' },
      to: { path: ['^apis/', '^pkg/(reconciler|syncer|server|storage)/'] },
    },
    {
      name: 'leaf-libraries',
      severity: 'error',
      comment: 'Selector grammar, workspace paths, the version, the shared sleep and the string pool are leaves: they import nothing else of the repo, so anything may use them.',
      from: { path: '^pkg/(labels|fields|logicalcluster|version|clock|intern)/' },
      to: { path: '^(apis|pkg)/', pathNot: '^pkg/$1/' },
    },
    {
      name: 'libraries-do-not-import-binaries',
      severity: 'error',
      comment: 'cmd/ wires libraries; libraries never reach back into a binary, a script or a test.',
      from: { path: '^(pkg|apis)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(cmd|hack|test)/' },
    },
    {
      name: 'production-does-not-import-tests',
      severity: 'error',
      comment: 'Test helpers stay out of production code paths.',
      from: { path: '^(pkg|apis|cmd)/', pathNot: '(\\.test\\.ts|\\.test-helper\\.ts|/testing\\.ts)$' },
      to: { path: '(\\.test\\.ts|\\.test-helper\\.ts)$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo in a .ts path fails here before it fails at run time).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^node_modules/' },
  },
};
