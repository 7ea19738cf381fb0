// One Lambda container for one synthesized bundle: `node bundle-runner.mjs <index.mjs> <export>`, started
// by bundle-functions.ts with the function's environment and an IPC channel. Plain JavaScript on purpose:
// it runs on any Node binary (the Lambda runtime's Node 22, or Node 20) without tsx, as Lambda runs the
// bundle. Like the Node.js runtime it imports the module once (the cold start), then handles one event
// at a time; an uncaught error ends the process, as it ends a Lambda container.
import { randomUUID } from 'node:crypto';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const [entryFile, exportName, ...flags] = process.argv.slice(2);

// --trace-modules (tests and the bundle bench, never a timed import): which files of the asset the
// container loaded, at import and after each invocation, so a test can show that a chunk loads only
// on the path that needs it. Off, nothing is registered and the import is what Lambda does.
const modulesPort = (() => {
  if (!flags.includes('--trace-modules')) return undefined;
  const { port1, port2 } = new MessageChannel();
  register(new URL('./bundle-runner-hooks.mjs', import.meta.url), {
    data: { port: port2 },
    transferList: [port2],
  });
  port1.unref();
  return port1;
})();
const loadedModules = () =>
  modulesPort === undefined
    ? Promise.resolve(undefined)
    : new Promise((resolve) => {
        modulesPort.once('message', (urls) => resolve(urls.map((url) => fileURLToPath(url))));
        modulesPort.postMessage('list');
      });

const serialiseError = (err) =>
  err instanceof Error
    ? { name: err.name, message: err.message, stack: err.stack }
    : { name: 'Error', message: String(err) };

const contextOf = (spec) => {
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const unsupported = () => {
    throw new Error('context.done/fail/succeed are not supported: return or throw from the async handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${spec.region}:000000000000:function:${spec.functionName}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

const started = performance.now();
let handler;
try {
  const mod = await import(pathToFileURL(entryFile).href);
  handler = mod[exportName];
  if (typeof handler !== 'function') throw new Error(`${entryFile} exports no function "${exportName}"`);
} catch (err) {
  process.send({ type: 'failed', error: serialiseError(err) });
  process.exit(1);
}
const importMs = performance.now() - started;

// Lambda hands a container one event at a time; the parent may send more, so they wait their turn.
let queue = Promise.resolve();
process.on('message', (message) => {
  if (message?.type !== 'invoke') return;
  queue = queue.then(async () => {
    try {
      const result = await handler(message.event, contextOf(message.context));
      const modules = await loadedModules();
      process.send({ type: 'result', id: message.id, ok: true, result: result ?? null, modules });
    } catch (err) {
      const modules = await loadedModules();
      process.send({ type: 'result', id: message.id, ok: false, error: serialiseError(err), modules });
    }
  });
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', importMs, version: process.version, modules: await loadedModules() });
