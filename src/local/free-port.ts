import { createServer } from 'node:net';

/** A TCP port that was free a moment ago, for processes that cannot listen on port 0 themselves. */
export const findFreePort = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** A port the local stack cannot listen on, with the setting that chooses another. */
export class PortInUseError extends Error {
  /** `perhaps` says what may hold the port, when the stack can guess. */
  constructor(port: number, setting: string, what: string, perhaps = 'another program') {
    super(
      `Port ${port} (${setting}, for ${what}) is already in use, perhaps by ${perhaps}. ` +
        `Stop that program if it is yours, or choose another port: ${setting}=${port + 100} npm start`,
    );
    this.name = 'PortInUseError';
  }
}

/** Listens, turning a busy port into a PortInUseError that names its setting. */
export const listenOn = (
  server: {
    once(event: 'error', listener: (error: Error) => void): unknown;
    listen(port: number, host: string, callback: () => void): unknown;
  },
  options: { readonly port: number; readonly host: string; readonly setting: string; readonly what: string },
): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(options.port, options.setting, options.what) : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
