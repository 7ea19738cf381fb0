/**
 * Imported first by the bench's entry point, before any module that loads a handler: in this process the
 * handlers share one event loop with the SDK clients and the emulators' threads, and the tracer's X-Ray
 * SDK (loaded by shared/runtime/powertools.ts when tracing is on) installs an async hook that taxes every
 * promise of all of them (about a tenth of the main thread in a village month). Lambda traces; the bench
 * measures the work.
 */
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
