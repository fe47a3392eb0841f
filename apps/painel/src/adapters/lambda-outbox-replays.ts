import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { OutboxReplays, ReplayOutcome } from '../application/ports';

/**
 * Each service's outbox replay function (`/order-platform/<stage>/<service>/replay-function-arn`), invoked
 * with the operations function's own permission; a function error is reported for that service, not thrown.
 */
export class LambdaOutboxReplays implements OutboxReplays {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functions: Record<string, string>,
  ) {}

  async replay(orderId: string, olderThanSeconds: number): Promise<ReplayOutcome[]> {
    return Promise.all(
      Object.entries(this.functions).map(async ([service, functionName]): Promise<ReplayOutcome> => {
        try {
          const res = await this.lambda.send(
            new InvokeCommand({
              FunctionName: functionName,
              Payload: Buffer.from(JSON.stringify({ orderId, olderThanSeconds })),
            }),
          );
          const payload = JSON.parse(Buffer.from(res.Payload ?? []).toString('utf8') || 'null') as {
            replayed?: { eventId: string; type: string }[];
            errorMessage?: string;
          } | null;
          if (res.FunctionError) return { service, error: payload?.errorMessage ?? res.FunctionError };
          return {
            service,
            events: (payload?.replayed ?? []).map(({ eventId, type }) => ({ eventId, type })),
          };
        } catch (error) {
          return { service, error: (error as Error).message };
        }
      }),
    );
  }
}
