/**
 * Captures everything written to stdout/stderr (Powertools logger lines, local-cloud error lines)
 * while a seed runs, so the personal-data check can search it; nothing captured reaches the terminal.
 * `print` writes past the capture (the runner's own progress lines).
 */
type Write = typeof process.stdout.write;

export type OutputCapture = { text(): string; print(line: string): void; stop(): void };

export function captureOutput(): OutputCapture {
  const chunks: string[] = [];
  const originalOut: Write = process.stdout.write.bind(process.stdout);
  const originalErr: Write = process.stderr.write.bind(process.stderr);
  const sink = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as ((err?: Error) => void) | undefined;
    done?.();
    return true;
  }) as Write;
  process.stdout.write = sink;
  process.stderr.write = sink;
  return {
    text: () => chunks.join(''),
    print: (line) => {
      originalOut(`${line}\n`);
    },
    stop: () => {
      process.stdout.write = originalOut;
      process.stderr.write = originalErr;
    },
  };
}
