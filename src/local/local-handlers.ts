import { createHandler as createOpenIdMetadataHandler } from '../../functions/openid-metadata/handler.ts';
import type { TokenSigner } from '../domain/tokens/token-signer.ts';
import type { HttpHandler } from '../platform/http/http-types.ts';
import type { Logger } from '../platform/logger.ts';
import type { FunctionName } from '../routes.ts';

export interface LocalDependencies {
  readonly issuer: string;
  readonly signer: TokenSigner;
  readonly logger: Logger;
}

/** The local composition root: every function's handler, wired to local adapters. */
export const createLocalHandlers = (deps: LocalDependencies): Record<FunctionName, HttpHandler> => ({
  'openid-metadata': createOpenIdMetadataHandler(deps),
});
