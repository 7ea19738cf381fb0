/**
 * What the handlers would send to CloudWatch: their stdout/stderr (Powertools logs and EMF metric
 * lines) is swallowed and measured instead of flooding the terminal. Log bytes per phase price the
 * CloudWatch Logs ingestion; distinct EMF metric name+dimension sets are the custom metrics billed.
 * The benchmark's own output goes through `out`, which bypasses the capture.
 */
import type { UsageMeter } from './metering.ts';

type Write = typeof process.stdout.write;

export type LogCapture = {
  /** Distinct `namespace|metric|dimension values` seen in EMF lines. */
  readonly customMetrics: Set<string>;
  /** Lines from the local cloud's error reporter and handler warnings, kept for the report. */
  readonly errorLines: string[];
  restore(): void;
};

const realStdout: Write = process.stdout.write.bind(process.stdout);
const realStderr: Write = process.stderr.write.bind(process.stderr);

export const out = (text: string): void => {
  realStdout(text.endsWith('\n') ? text : `${text}\n`);
};

const emfKeys = (line: string): string[] => {
  try {
    const doc = JSON.parse(line) as {
      _aws?: {
        CloudWatchMetrics?: { Namespace?: string; Dimensions?: string[][]; Metrics?: { Name?: string }[] }[];
      };
    } & Record<string, unknown>;
    const keys: string[] = [];
    for (const d of doc._aws?.CloudWatchMetrics ?? []) {
      const dims = (d.Dimensions ?? []).map((set) =>
        set.map((name) => `${name}=${String(doc[name])}`).join(','),
      );
      for (const m of d.Metrics ?? [])
        for (const dim of dims.length > 0 ? dims : ['']) keys.push(`${d.Namespace}|${m.Name}|${dim}`);
    }
    return keys;
  } catch {
    return [];
  }
};

export const captureLogs = (meter: UsageMeter): LogCapture => {
  const customMetrics = new Set<string>();
  const errorLines: string[] = [];
  const swallow =
    (isErr: boolean): Write =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      meter.usage().logBytes += Buffer.byteLength(text);
      if (text.includes('"_aws"'))
        for (const line of text.split('\n')) for (const k of emfKeys(line)) customMetrics.add(k);
      if (
        isErr &&
        errorLines.length < 50 &&
        (text.startsWith('[local-cloud]') || text.includes('"level":"ERROR"'))
      ) {
        errorLines.push(text.slice(0, 300));
      }
      const callback = rest.find((r): r is () => void => typeof r === 'function');
      callback?.();
      return true;
    };
  process.stdout.write = swallow(false);
  process.stderr.write = swallow(true);
  return {
    customMetrics,
    errorLines,
    restore: () => {
      process.stdout.write = realStdout;
      process.stderr.write = realStderr;
    },
  };
};
