import type { IncomingMessage } from 'node:http';

/** Reads a request's body as JSON, then calls `then` with it, or `refuse` when it is not JSON. */
export const onJsonBody = (
  request: IncomingMessage,
  then: (body: unknown) => void,
  refuse: () => void,
): void => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse();
    }
    then(body);
  });
};
