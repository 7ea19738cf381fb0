import { runDemo } from '#shared/demo/run-demo.ts';
try {
  await runDemo({ dataDir: '/tmp/demo-w4k', months: Number(process.argv[2] ?? 12), workers: 4000, seed: 1, onProgress: (p) => { if (p.date >= '2026-12-01' || p.note.includes('berkas')) process.stdout.write(`${p.date} ${p.note}\n`); } } as never);
  console.log('OK');
} catch (e) {
  console.error('FAILED', e, (e as { $metadata?: unknown }).$metadata, (e as Error).stack);
}
