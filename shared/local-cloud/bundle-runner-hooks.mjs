// Module hooks of bundle-runner.mjs with --trace-modules: records the URL of every module the
// container loads, and answers the runner's "list" with them in load order. Runs on Node's hooks
// thread; a list asked for after an import settled holds every module that import loaded.
const loaded = [];

export function initialize({ port }) {
  port.on('message', () => port.postMessage([...loaded]));
}

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (url.startsWith('file:')) loaded.push(url);
  return result;
}
