import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { tableSchema } from '../../src/adapters/dynamodb/table-schema.ts';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export interface StoreTableProps {
  /**
   * A production stage's table: deletion protection, encryption with a key of its own (the key
   * policy, not an AWS-owned key, decides who may read a backup), and throughput warm for the peak.
   */
  readonly production?: {
    readonly keyAlias: string;
    readonly warmThroughput: { readonly readUnitsPerSecond: number; readonly writeUnitsPerSecond: number };
  };
}

/** The single table, built from the same schema as the local bootstrap so the two cannot drift. */
export class StoreTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: StoreTableProps = {}) {
    const production = props.production;
    super(scope, id, {
      partitionKey: stringKey(tableSchema.partitionKey),
      sortKey: stringKey(tableSchema.sortKey),
      timeToLiveAttribute: tableSchema.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
      ...(production
        ? {
            deletionProtection: true,
            encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryptionKey: new kms.Key(scope, `${id}Key`, {
              alias: production.keyAlias,
              description: 'patient-login table encryption',
              enableKeyRotation: true,
              removalPolicy: RemovalPolicy.RETAIN,
            }),
            warmThroughput: production.warmThroughput,
          }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
    });
    for (const index of tableSchema.globalSecondaryIndexes) {
      this.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType:
          index.projection === 'ALL' ? dynamodb.ProjectionType.ALL : dynamodb.ProjectionType.KEYS_ONLY,
      });
    }
  }
}
