import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where the media of photo-ID checks are, under this prefix only (`mediaKey`). */
export const mediaPrefix = 'checks/';

export interface MediaBucketProps {
  /** The origin the patient pages are served from: the only one whose browsers may upload. */
  readonly uploadOrigin: string;
  /** The review console's origin: the only one whose pages may show the media (CORS GET, for the console's COEP). */
  readonly readOrigins?: readonly string[];
  readonly keyAlias: string;
  /**
   * Days after which anything left is deleted (an abandoned submission's uploads; media a
   * failed deletion left). Longer than a check can wait for its decision plus the retention.
   */
  readonly abandonedAfterDays: number;
  /** The stage's media retention after a decision, in days. */
  readonly retentionDays: number;
}

/**
 * The photos and videos of photo-ID checks: a private bucket (no public access, ACLs disabled),
 * encrypted with its own KMS key (bucket keys on), TLS only, no versioning (a deleted file is
 * gone), uploads only by presigned POST from the patient pages' origin, and a lifecycle rule that
 * deletes what an abandoned submission leaves.
 */
export class MediaBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: MediaBucketProps) {
    super(scope, id);
    if (props.abandonedAfterDays < props.retentionDays + 7)
      throw new Error('The media lifecycle must outlast the retention after a decision by a week at least');
    this.key = new kms.Key(this, 'Key', {
      description: 'patient-login photo-ID media at rest',
      enableKeyRotation: true,
      alias: props.keyAlias,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      // Personal data: the bucket and what is left in it stay if the stack goes, for ops to deal with.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'delete-abandoned-media',
          prefix: mediaPrefix,
          expiration: Duration.days(props.abandonedAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: [props.uploadOrigin],
          allowedHeaders: ['*'],
          maxAge: 600,
        },
        ...(props.readOrigins && props.readOrigins.length > 0
          ? [
              {
                allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                allowedOrigins: [...props.readOrigins],
                allowedHeaders: ['Range'],
                maxAge: 600,
              },
            ]
          : []),
      ],
    });
  }

  /** Signing upload forms: a POST policy is the signer's own PutObject, so the signer needs it (and the key). */
  grantUpload(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject'],
      resourceArns: [this.bucket.arnForObjects(`${mediaPrefix}*`)],
    });
    this.key.grant(grantee, 'kms:GenerateDataKey');
    // Never the reviewed copies: what the workflow checked stays what the reviewer sees.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${mediaPrefix}*.reviewed`)],
      }),
    );
    return grant;
  }

  /** Reading media, and listing them (without it, S3 answers 403 for a missing object, not 404). */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(`${mediaPrefix}*`)],
    });
    this.#grantList(grantee);
    this.key.grantDecrypt(grantee);
    return grant;
  }

  /**
   * Reading the reviewed copies only, what the workflow checked (the review console's presigned
   * downloads): never a patient's upload as it stands, nor a listing.
   */
  grantReadReviewed(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(`${mediaPrefix}*.reviewed`)],
    });
    this.key.grantDecrypt(grantee);
    return grant;
  }

  /** Copying a checked upload to its reviewed key (`reviewedKey`), which no upload form names. */
  grantKeep(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject'],
      resourceArns: [this.bucket.arnForObjects(`${mediaPrefix}*.reviewed`)],
    });
    this.key.grant(grantee, 'kms:GenerateDataKey');
    return grant;
  }

  grantDelete(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:DeleteObject'],
      resourceArns: [this.bucket.arnForObjects(`${mediaPrefix}*`)],
    });
    this.#grantList(grantee);
    return grant;
  }

  /** Listing the check media's prefix only. */
  #grantList(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${mediaPrefix}*`] } },
      }),
    );
  }
}
