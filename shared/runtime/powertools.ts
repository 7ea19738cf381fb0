import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddlewareObj } from '@middy/core';

/**
 * The one logger, metrics and tracer of every function. Powertools reads its configuration from the
 * environment the CDK sets per function (infra/constructs/sertakan-function.ts): POWERTOOLS_SERVICE_NAME
 * (the function's name, which is the `service` dimension every alarm and the dashboard filter on),
 * POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL. Nothing here restates them: a constructor option
 * would beat the environment, as a constant service name once did, so that every metric carried
 * `service=sertakan` and the per-function alarms read metrics that were never emitted
 * (test/integration/observability/metrics-contract.test.ts guards this).
 * Singletons, so a warm Lambda keeps one buffer of metrics and one X-Ray segment handler.
 */
export const logger = new Logger();

/** Some invocations rightly publish no metric (a duplicate chunk): that is not worth a warning per call. */
const metricsLog = {
  ...console,
  warn: (message: unknown, ...rest: unknown[]) => {
    if (typeof message === 'string' && message.startsWith('No application metrics to publish')) return;
    console.warn(message, ...rest);
  },
};
export const metrics = new Metrics({ logger: metricsLog });

/**
 * The tracer is loaded only when tracing is on (Lambda: yes). The X-Ray SDK installs an async hook on
 * import that taxes every promise in the process; locally (POWERTOOLS_TRACE_ENABLED=false) the whole
 * pipeline and its emulators share one process, so it is not loaded at all.
 */
const tracing = process.env.POWERTOOLS_TRACE_ENABLED !== 'false';
const tracerMiddleware: MiddlewareObj[] = tracing
  ? await (async () => {
      const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
        import('@aws-lambda-powertools/tracer'),
        import('@aws-lambda-powertools/tracer/middleware'),
      ]);
      // Never the response in a trace: HTTP answers carry unmasked statements, bills and presigned URLs.
      return [captureLambdaHandler(new Tracer(), { captureResponse: false })];
    })()
  : [];

/** Tracing (when on), the Lambda context in every log line, and metrics flushed after each invocation. */
export const observability = (): MiddlewareObj[] => [
  ...tracerMiddleware,
  injectLambdaContext(logger),
  logMetrics(metrics),
];
