import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { createAccount, headingOf, type PageClient, startPages } from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;

/** A new made-up address in every header a client may use to claim one, as a rotating attacker would. */
const spoofedAddressHeaders = (attempt: number): Record<string, string> => ({
  'x-forwarded-for': `198.51.100.${attempt}`,
  forwarded: `for=198.51.100.${attempt}`,
  'x-real-ip': `198.51.100.${attempt}`,
  'cloudfront-viewer-address': `2001:db8:${attempt}::1:443`,
});

describe('the client address behind the per-network limits', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  const requestReset = async (client: PageClient, email: string, headers: Record<string, string>) => {
    await client.get('/password/forgotten', headers);
    return client.post('/password/forgotten', { email }, headers);
  };

  it('keeps counting one socket against the email cap however its address headers rotate', async () => {
    // Prepare
    pages = await startPages({ limits: { linkEmailsPerIp: 3 } });
    const client = pages.client();
    const allowed = [];
    for (let attempt = 1; attempt <= 3; attempt += 1)
      allowed.push(
        await requestReset(client, `patient${attempt}@example.com`, spoofedAddressHeaders(attempt)),
      );

    // Act
    const fourth = await requestReset(client, 'patient4@example.com', spoofedAddressHeaders(4));

    // Assess
    expect(allowed.map((response) => response.location)).toEqual(Array(3).fill('/password/forgotten/sent'));
    expect(fourth.status).toBe(429);
    expect(headingOf(fourth.html)).toBe('You cannot ask for more emails for a while');
  });

  it('records the connection address in audit events, not one a header claims', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    await createAccount(client, pages.outbox, 'pat@example.com', 'correct horse battery');

    // Act
    await requestReset(client, 'pat@example.com', spoofedAddressHeaders(7));

    // Assess
    const account = await new DynamoAccountStore(pages.dependencies.table).findByEmail('pat@example.com');
    const events = await new DynamoAuditLog(pages.dependencies.table).recent(account?.accountId ?? '', 10);
    const requested = events.find((event) => event.type === 'password-reset-requested');
    expect(requested?.sourceIp).toBe('127.0.0.1');
  });
});
