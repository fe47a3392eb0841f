import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { AsyncLocalStorage } from 'node:async_hooks';

// One Logger, Tracer and Metrics per function instance; service name, namespace and log level come from
// the POWERTOOLS_* variables that ServiceFunction sets.
export const logger = new Logger();
export const metrics = new Metrics();

/**
 * The Tracer, loaded only where it can trace, by Powertools' own rule: in a Lambda execution environment
 * (`AWS_EXECUTION_ENV` set, as Lambda and the local cloud's sandboxes set it) with POWERTOOLS_TRACE_ENABLED
 * not `false`. The X-Ray SDK under it creates its async hooks when imported, whether it records or not, and
 * they then follow every promise of the process (aws/aws-xray-sdk-node#420): about a tenth of a function's
 * CPU in the local bench, and in a script or test that imports the adapters (the bench, the chaos run,
 * with the local cloud in the same process) every promise of the local cloud, for nothing.
 */
export function canTrace(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    (env['POWERTOOLS_TRACE_ENABLED'] ?? '').toLowerCase() !== 'false' &&
    !!env['AWS_EXECUTION_ENV'] &&
    env['AWS_EXECUTION_ENV'] !== 'AWS_Lambda_amplify-mock' &&
    !env['AWS_SAM_LOCAL']
  );
}
const tracing = canTrace() ? loadTracing() : undefined;

function loadTracing() {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on condition, see above */
  const { Tracer } =
    require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
  const { captureLambdaHandler } =
    require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { tracer: new Tracer(), captureLambdaHandler };
}
const tracer: Tracer | undefined = tracing?.tracer;

/**
 * Tags every following log line of this invocation with the order's correlation id, and its X-Ray
 * subsegment with the same annotation (so `annotation.correlationId = "…"` finds the order's traces).
 */
export function withCorrelation(correlationId: string | undefined): void {
  if (!correlationId) return;
  logger.appendKeys({ correlationId });
  if (!tracer?.isTracingEnabled()) return;
  const record = recordScope.getStore()?.subsegment;
  if (record) record.addAnnotation('correlationId', correlationId);
  else tracer.putAnnotation('correlationId', correlationId);
}

/** One record of a batch while it is handled: the trace it came in, and its X-Ray subsegment. */
interface RecordScope {
  traceHeader: string | undefined;
  subsegment: ReturnType<NonNullable<ReturnType<Tracer['getSegment']>>['addNewSubsegment']> | undefined;
}
const recordScope = new AsyncLocalStorage<RecordScope>();

/** The root trace id of an X-Ray trace header (`Root=1-…;Parent=…;Sampled=1`). */
const traceRoot = (header: string | undefined): string | undefined =>
  header?.match(/(?:^|;)\s*Root=([^;]+)/)?.[1];

/**
 * The trace a change made now belongs to: the trace of the batch record being handled (the header its
 * message came with), else the invocation's. Lambda runs a batch in the trace of its first record, so
 * without this an order's next events would join whichever order happened to lead the batch (and its
 * dashboard trace would spread over other orders' traces).
 */
export function currentTraceHeader(): string | undefined {
  return recordScope.getStore()?.traceHeader ?? process.env['_X_AMZN_TRACE_ID'];
}

/**
 * Handles one record of a batch in its own scope: `currentTraceHeader()` answers its trace, and where the
 * function traces, it gets an X-Ray subsegment `## record` (its correlation id annotated on it, not on the
 * batch's handler subsegment, where each record would overwrite the last). A record from another trace than
 * the invocation's is annotated `recordTraceId` with its own, so a reader can tell an order's trace from a
 * batch that only took one of its records. `current`: the subsegment becomes the current one (its AWS
 * calls nest under it); only for records handled one at a time.
 */
export async function inRecordScope<T>(
  traceHeader: string | undefined,
  current: boolean,
  handle: () => Promise<T>,
): Promise<T> {
  const parent = tracer?.isTracingEnabled() ? tracer.getSegment() : undefined;
  const subsegment = parent?.addNewSubsegment('## record');
  const own = traceRoot(traceHeader);
  if (subsegment && own && own !== traceRoot(process.env['_X_AMZN_TRACE_ID']))
    subsegment.addAnnotation('recordTraceId', own);
  if (subsegment && current) tracer!.setSegment(subsegment);
  try {
    return await recordScope.run({ traceHeader, subsegment }, handle);
  } finally {
    subsegment?.close();
    if (subsegment && current) tracer!.setSegment(parent!);
  }
}

/**
 * What the platform's SDK clients log through: nothing, as the SDK's default logger, but without `info`.
 * The SDK builds every call's log line before handing it to the logger, walking the input and the output
 * through the schema's sensitive-data filter (about a third of the SDK's CPU for a read of an order, half
 * of it for a read of 25 stream records) unless the logger has no `info` to hand it to. The functions log
 * through Powertools; the SDK's own lines were never written anywhere.
 */
export const SDK_LOGGER = { debug() {}, warn() {}, error() {} };

/**
 * The platform's way to take an AWS SDK v3 client: its calls appear as X-Ray subsegments, and it logs
 * through `SDK_LOGGER` (give it another logger after this, to read the SDK's lines while debugging).
 */
export function traced<T>(client: T): T {
  const config = (client as { config?: { logger?: unknown } }).config;
  if (config) config.logger = SDK_LOGGER;
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * A handler with Powertools' own middleware, as every entry point of the platform is: the handler's X-Ray
 * segment with its cold-start annotation (tracer), the Lambda context in every log line and the appended
 * keys (the correlation id) reset after each invocation (logger), and the stored metrics flushed with the
 * cold-start metric (metrics).
 */
export function instrumented<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  const wrapped = middy(handler);
  if (tracing) wrapped.use(tracing.captureLambdaHandler(tracing.tracer, { captureResponse: false }));
  return wrapped
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true })) as unknown as (
    event: E,
    context: Context,
  ) => Promise<R>;
}
export { MetricUnit } from '@aws-lambda-powertools/metrics';
