import { describe, expect, it } from 'vitest';
import { createTableInput, tableSchema } from '../../src/adapters/dynamodb/table-schema.ts';
import { synthesizeStack } from './synthesize.ts';
import { propertiesOfEvery, resourcesOfType } from './template-queries.ts';

interface TableProperties {
  readonly BillingMode: string;
  readonly KeySchema: unknown[];
  readonly AttributeDefinitions: { AttributeName: string }[];
  readonly GlobalSecondaryIndexes?: unknown[];
  readonly PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean };
  readonly TimeToLiveSpecification?: unknown;
  readonly SSESpecification?: { SSEEnabled: boolean };
}

const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
  (a.AttributeName ?? '').localeCompare(b.AttributeName ?? '');

describe('the DynamoDB table', () => {
  const { template } = synthesizeStack();
  const tables = propertiesOfEvery<TableProperties>(template, 'AWS::DynamoDB::Table');

  it('keeps every table on stack deletion and replacement, with point-in-time recovery on', () => {
    // Act
    const protections = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([, table]) => ({
      deletion: table.DeletionPolicy,
      replacement: table.UpdateReplacePolicy,
      pitr: table.Properties.PointInTimeRecoverySpecification,
    }));

    // Assess
    expect(protections).toEqual(
      tables.map(() => ({
        deletion: 'Retain',
        replacement: 'Retain',
        pitr: { PointInTimeRecoveryEnabled: true },
      })),
    );
  });

  it('has the keys, indexes and billing of the table the local bootstrap creates', () => {
    // Prepare
    const local = createTableInput('any');

    // Act
    const [[, table]] = tables as [[string, TableProperties]];

    // Assess
    expect(tables).toHaveLength(1);
    expect(table.BillingMode).toBe(local.BillingMode);
    expect(table.KeySchema).toEqual(local.KeySchema);
    expect(table.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect([...table.AttributeDefinitions].sort(byName)).toEqual(
      [...(local.AttributeDefinitions ?? [])].sort(byName),
    );
  });

  it('expires items by the schema TTL attribute and encrypts them at rest', () => {
    // Act
    const [[, table]] = tables as [[string, TableProperties]];

    // Assess
    expect(table.TimeToLiveSpecification).toEqual({
      AttributeName: tableSchema.timeToLiveAttribute,
      Enabled: true,
    });
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
  });
});
