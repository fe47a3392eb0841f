import { configSection } from '@order-platform/lambda-kit';
import * as z from '@order-platform/contracts/zod';

/** The settings of painel's functions, one section per concern, each parsed on first use. */
export const tableConfig = configSection(z.object({ TABLE_NAME: z.string().check(z.minLength(1)) }));
export const connectionsConfig = configSection(
  z.object({ CONNECTIONS_TABLE: z.string().check(z.minLength(1)) }),
);
/** The WebSocket stage's callback URL. */
export const managementConfig = configSection(z.object({ CONNECTIONS_URL: z.url() }));
export const authConfig = configSection(
  z.object({ TOKEN_ISSUER: z.url(), CLIENT_ID: z.string().check(z.minLength(1)) }),
);
/** The stage's stack prefix (`OrderPlatform-<stage>-`): the DLQs the operations view reads and redrives. */
export const operationsConfig = configSection(
  z.object({
    QUEUE_PREFIX: z.string().check(z.minLength(1)),
    PARTNER_PLAN_PREFIX: z.string().check(z.minLength(1)),
  }),
);
/** Each service's outbox replay function (ARN), which the operations view invokes for one order. */
export const replayConfig = configSection(
  z.object({
    REPLAY_FUNCTION_PRODUTOS: z.string().check(z.minLength(1)),
    REPLAY_FUNCTION_PEDIDOS: z.string().check(z.minLength(1)),
    REPLAY_FUNCTION_FATURAS: z.string().check(z.minLength(1)),
  }),
);
export const alertConfig = configSection(
  z.object({ LOW_STOCK_THRESHOLD: z._default(z.coerce.number().check(z.int(), z.gte(0)), 10) }),
);
