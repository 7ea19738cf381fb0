import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalConsole, startLocalConsole } from '#shared/local-cloud/local-console.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

/**
 * Bad requests to the local console server are 4xx with a bilingual reason, never 500, and a refused
 * body never spills into the next request of a keep-alive connection.
 */
const cloud = useLocalCloud();
let web: LocalConsole;
let webDir: string;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

const send = (method: string, path: string, body?: string | Buffer) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(path, web.url);
    const req = request(url, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });

beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'sertakan-console-web-'));
  await writeFile(join(webDir, 'index.html'), '<!doctype html><title>console</title>');
  web = await startLocalConsole({ cloud: cloud(), clock: { now: () => new Date() }, webDir });
});

afterAll(async () => {
  agent.destroy();
  await web?.close();
  await rm(webDir, { recursive: true, force: true });
});

describe('local console: bad requests', () => {
  it('answers invalid JSON on the dev sign-in with 400, naming the problem', async () => {
    const out = await send('POST', '/dev/sign-in', '{"role": "ops",');
    expect(out.status).toBe(400);
    expect(JSON.parse(out.body)).toMatchObject({ code: 'INVALID_JSON' });
  });

  it('answers a 2 MB body with 413, and the next request on the same connection is answered normally', async () => {
    const big = await send('POST', '/api/files/upload-url', Buffer.alloc(2_000_000, 0x61));
    const next = await send('GET', '/config.json');
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toMatchObject({ mode: 'dev' });
  });
});
