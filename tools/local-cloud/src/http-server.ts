import http from 'node:http';

/** Whether a request target's path has only well-formed percent-escapes. */
export function wellFormedPath(target: string | undefined): boolean {
  const path = (target ?? '/').split('?')[0]!;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * An HTTP server for the local gateways that nothing a client sends can crash or hang: a path with a
 * malformed percent-escape (`/orders/%E0%A4%A`, `/products/%ZZ`) is answered `400` before the handler runs,
 * as API Gateway does; a handler that throws, or a request body that breaks off, answers `500` (or closes
 * the socket when the answer had begun) and is logged, never an unhandled rejection.
 */
export function safeServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<unknown>,
  log: (line: string) => void,
): http.Server {
  return http.createServer((req, res) => {
    if (!wellFormedPath(req.url)) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Bad request: malformed percent-escape in the path' }));
      return;
    }
    handler(req, res).catch((error: Error) => {
      log(`${req.method} ${req.url} failed: ${error.message}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'Internal server error' }));
      } else res.destroy();
    });
  });
}
