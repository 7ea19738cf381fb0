// `node:http` for the function bundles, taken the way `require` takes it. On Node 22 an ESM
// `import ... from 'node:http'` builds the module's ESM namespace, which reads every export, and
// reading `WebSocket`, `EventSource` and the like loads undici: tens to hundreds of milliseconds of
// every cold start for code no handler runs. Through this CommonJS module esbuild's interop reads
// only the exports the SDK uses (function-bundle.ts aliases `http` and `node:http` here).
module.exports = process.getBuiltinModule('node:http');
