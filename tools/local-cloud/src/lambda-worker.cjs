// One Lambda function's sandbox: its own process, module instance and environment. Invocations arrive
// over IPC; the handler's result or error goes back the same way. It exits with its parent.
'use strict';
const path = require('node:path');

const codeDir = process.env.LOCAL_LAMBDA_CODE_DIR;
const [file, exportName] = (() => {
  const h = process.env.LOCAL_LAMBDA_HANDLER || 'index.handler';
  const dot = h.lastIndexOf('.');
  return [h.slice(0, dot), h.slice(dot + 1)];
})();
let handler;

process.on('disconnect', () => process.exit(0));

// The init phase, as in Lambda: load the module once, outside any invocation's timeout, then say so.
try {
  handler = require(path.join(codeDir, file))[exportName];
  if (typeof handler !== 'function') throw new Error(`${process.env.LOCAL_LAMBDA_HANDLER} is not a function`);
  process.send({ ready: true });
} catch (error) {
  console.error(JSON.stringify({ level: 'ERROR', message: 'Init Error', stack: error && error.stack }));
  process.send({ ready: false, error: String((error && error.message) || error) });
  handler = undefined;
}
process.on('message', async (msg) => {
  const { id, event, context, crashAfterMs, traceHeader } = msg;
  // As Lambda does, the invocation's trace header is in the environment while it runs (the X-Ray SDK
  // reads it there for every invocation).
  if (traceHeader) process.env._X_AMZN_TRACE_ID = traceHeader;
  else delete process.env._X_AMZN_TRACE_ID;
  // Chaos mode: the sandbox dies in the middle of this invocation, whatever else it was doing.
  if (crashAfterMs !== undefined) setTimeout(() => process.kill(process.pid, 'SIGKILL'), crashAfterMs);
  try {
    if (!handler) {
      handler = require(path.join(codeDir, file))[exportName];
      if (typeof handler !== 'function')
        throw new Error(`${process.env.LOCAL_LAMBDA_HANDLER} is not a function`);
    }
    const ctx = {
      ...context,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
    };
    const result = await handler(event, ctx);
    process.send({ id, result: result === undefined ? null : result });
  } catch (error) {
    // As in Lambda, an unhandled error is logged with its stack before the invocation is reported failed.
    console.error(
      JSON.stringify({
        level: 'ERROR',
        message: 'Invoke Error',
        errorType: error && error.name,
        stack: error && error.stack,
      }),
    );
    process.send({
      id,
      error: {
        errorType: (error && error.name) || 'Error',
        errorMessage: String((error && error.message) || error),
      },
    });
  }
});
