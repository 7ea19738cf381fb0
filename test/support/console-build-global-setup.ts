/**
 * Vitest globalSetup: build the static console once, before any test file starts, when it is missing
 * or older than its sources. `local up`, `npm start -- --serve` and the console tests serve it; without
 * this the first of them to start would build it inside its own timeout, while others wait or race.
 */
import { ensureConsoleBuilt } from '#shared/console/build-console.ts';

export default async function setup(): Promise<void> {
  await ensureConsoleBuilt((line) => process.stderr.write(`${line}\n`));
}
