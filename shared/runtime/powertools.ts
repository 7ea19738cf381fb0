import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The one logger, metrics and tracer of every function (Powertools reads its env vars such as
 * POWERTOOLS_LOG_LEVEL itself). Singletons, so a warm Lambda keeps one buffer of metrics and one
 * X-Ray segment handler, and every function logs under the same service name.
 */
export const serviceName = 'sertakan';
export const metricsNamespace = 'Sertakan';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: metricsNamespace, serviceName });
export const tracer = new Tracer({ serviceName });
