import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

/** A WebSocket message's JSON body; undefined when it is not JSON (the use cases answer it as an error). */
export function messageBody(event: APIGatewayProxyWebsocketEventV2): unknown {
  try {
    return JSON.parse(event.body ?? '');
  } catch {
    return undefined;
  }
}
