import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { findFreePort } from '../../src/local/free-port.ts';

export interface LocalStackProcess {
  readonly issuer: string;
  readonly output: () => string;
  readonly dynamoDbPort: number;
  readonly demoRelyingPartyPort: number;
  /** The review console's address (its own port). */
  readonly reviewConsole: string;
  stop(): Promise<void>;
}

/**
 * Runs `npm start`'s entry point as a separate process group, on free ports and a given data
 * folder, and resolves once it prints that it is running.
 */
export const startLocalStackProcess = async (
  dataDirectory: string,
  options: { demoRelyingPartyPort?: number; env?: Record<string, string> } = {},
): Promise<LocalStackProcess> => {
  const [port, dynamoDbPort] = [await findFreePort(), await findFreePort()];
  const demoPort = options.demoRelyingPartyPort ?? (await findFreePort());
  const consolePort = await findFreePort();
  const child: ChildProcess = spawn(process.execPath, ['src/local/start.ts'], {
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_PORT: String(dynamoDbPort),
      DEMO_RP_PORT: String(demoPort),
      CONSOLE_PORT: String(consolePort),
      DATA_DIR: dataDirectory,
      LOG_LEVEL: 'WARN',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit');
  // Only if starting fails is the whole group killed, so nothing it started is left running.
  const killGroup = () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  const ready = new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes('Press Ctrl+C to stop.')) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`The local stack exited early:\n${output}`));
      }
    }, 50);
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`The local stack did not start within 60 s:\n${output}`)),
      60_000,
    ).unref(),
  );
  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    killGroup();
    throw error;
  }
  const issuer = /Issuer: +(\S+)/.exec(output)?.[1];
  if (!issuer) {
    killGroup();
    throw new Error(`No issuer in the output:\n${output}`);
  }
  return {
    issuer,
    dynamoDbPort,
    demoRelyingPartyPort: demoPort,
    reviewConsole: `http://localhost:${consolePort}`,
    output: () => output,
    /** Stops it as Ctrl+C's SIGTERM cousin would, signalling only the stack's own process. */
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};
