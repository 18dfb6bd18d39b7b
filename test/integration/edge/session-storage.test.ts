import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { localClient } from '../../../src/local/dynamodb-local.ts';
import { startPages } from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;

describe('browser sessions the pages store', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  /** How many session items the test's table holds. */
  const sessionItems = async () => {
    const client = localClient(inject('dynamoDbEndpoint'));
    try {
      const { Items = [] } = await client.send(
        new ScanCommand({ TableName: pages.dependencies.table.tableName }),
      );
      return Items.filter((item) => item.pk?.S?.startsWith('SESSION#')).length;
    } finally {
      client.destroy();
    }
  };

  it.each(['/terms-of-use', '/contact', '/lost-phone'])(
    'stores no session and sets no cookie for a visit without a cookie to %s, a page without a form',
    async (path) => {
      // Prepare
      pages = await startPages();

      // Act
      const response = await fetch(`${pages.baseUrl}${path}`);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await sessionItems()).toBe(0);
    },
  );

  it('starts a session for a page with a form, whose CSRF token it must keep', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await fetch(`${pages.baseUrl}/login`);

    // Assess
    expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('session='))).toBe(true);
    expect(await sessionItems()).toBe(1);
  });
});
