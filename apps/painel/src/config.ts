import { parseConfig } from '@order-platform/lambda-kit';
import { z } from 'zod';

/** Settings of the painel functions; each function reads only the ones it uses. */
export const tableConfig = () => parseConfig(z.object({ TABLE_NAME: z.string().min(1) }));
export const connectionsConfig = () => parseConfig(z.object({ CONNECTIONS_TABLE: z.string().min(1) }));
export const managementConfig = () =>
  parseConfig(z.object({ CONNECTIONS_URL: z.string().url() /* the WebSocket stage's callback URL */ }));
export const authConfig = () =>
  parseConfig(z.object({ TOKEN_ISSUER: z.string().url(), CLIENT_ID: z.string().min(1) }));
export const alertConfig = () =>
  parseConfig(z.object({ LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(10) }));
