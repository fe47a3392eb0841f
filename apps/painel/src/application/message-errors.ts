import type * as z from '@order-platform/contracts/zod';

/**
 * The errors a client gets for a WebSocket message that did not parse, each naming its field; a message that
 * is not JSON at all (`undefined`, see `handlers/ws-body.ts`) is named as such, not as a missing `action`.
 */
export function messageErrors(body: unknown, error: z.core.$ZodError): { field: string; message: string }[] {
  if (body === undefined) return [{ field: '(message)', message: 'not JSON: send {"action": "..."}' }];
  return error.issues.map((i) => ({ field: i.path.join('.') || 'action', message: i.message }));
}
