import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GpLinkageClient } from '../../src/adapters/gp/gp-linkage-client.ts';
import { generatePrivateJwk, LocalTokenSigner } from '../../src/adapters/local/local-token-signer.ts';
import { PdsFhirClient } from '../../src/adapters/pds/pds-fhir-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { GpSandbox } from '../../src/local/sandboxes/gp-sandbox.ts';
import { PdsSandbox } from '../../src/local/sandboxes/pds-sandbox.ts';
import { loadTestPatients } from '../../src/local/sandboxes/test-patients.ts';

/**
 * The PDS sandbox on a port of its own, and a PDS client for it with the signed-JWT exchange;
 * beside it the GP sandbox on the same test patients, and a GP linkage client for it.
 */
export const startPdsSandbox = async (clock: Clock) => {
  const sandbox = new PdsSandbox({ patients: loadTestPatients(), clock });
  const gpSandbox = new GpSandbox({ patients: () => sandbox.patients(), apiKey: 'test-gp-api-key' });
  const server = createServer((request, response) => {
    if (!sandbox.handle(request, response) && !gpSandbox.handle(request, response))
      response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = `${origin}${sandbox.basePath}`;
  const demographics = new PdsFhirClient({
    baseUrl: `${base}/FHIR/R4`,
    auth: {
      tokenUrl: `${base}/oauth2/token`,
      apiKey: 'test-api-key',
      signer: await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]),
    },
    clock,
  });
  return {
    sandbox,
    demographics,
    gpSandbox,
    gp: new GpLinkageClient({ baseUrl: `${origin}${gpSandbox.basePath}`, apiKey: 'test-gp-api-key' }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
