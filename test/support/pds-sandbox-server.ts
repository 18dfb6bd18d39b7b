import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generatePrivateJwk, LocalTokenSigner } from '../../src/adapters/local/local-token-signer.ts';
import { PdsFhirClient } from '../../src/adapters/pds/pds-fhir-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { PdsSandbox } from '../../src/local/sandboxes/pds-sandbox.ts';
import { loadTestPatients } from '../../src/local/sandboxes/test-patients.ts';

/** The PDS sandbox on a port of its own, and a PDS client for it with the signed-JWT exchange. */
export const startPdsSandbox = async (clock: Clock) => {
  const sandbox = new PdsSandbox({ patients: loadTestPatients(), clock });
  const server = createServer((request, response) => {
    if (!sandbox.handle(request, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${sandbox.basePath}`;
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
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
