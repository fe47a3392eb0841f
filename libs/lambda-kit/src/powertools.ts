import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// One Logger, Tracer and Metrics per function instance; service name, namespace and log level come from
// the POWERTOOLS_* variables that ServiceFunction sets.
export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();

/** Tags every following log line of this invocation with the order's correlation id. */
export function withCorrelation(correlationId: string | undefined): void {
  if (correlationId) logger.appendKeys({ correlationId });
}

/** Wraps an AWS SDK v3 client so its calls appear as X-Ray subsegments. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
