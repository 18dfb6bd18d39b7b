import { awsDependencies } from '../../src/platform/aws-dependencies.ts';
import { createHandler } from './handler.ts';

export const handler = createHandler(awsDependencies(process.env).oidcToken());
