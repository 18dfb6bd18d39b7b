import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local.ts';
import { findFreePort } from '../../src/local/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

/** One in-memory DynamoDB Local for the whole run; each test makes its own table in it. */
export default async function setup(project: TestProject) {
  const dynamoDb = await startDynamoDbLocal({ port: await findFreePort() });
  project.provide('dynamoDbEndpoint', dynamoDb.endpoint);
  return () => dynamoDb.stop();
}
