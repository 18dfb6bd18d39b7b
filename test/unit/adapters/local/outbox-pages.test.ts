import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalOutbox } from '../../../../src/adapters/local/outbox.ts';
import { createOutboxPages } from '../../../../src/adapters/local/outbox-pages.ts';
import { confirmEmailMessage } from '../../../../src/domain/messaging/email-templates.ts';
import { securityCodeTextMessage } from '../../../../src/domain/messaging/sms-templates.ts';

const NOT_MINE = 'not an outbox page';

/** Mounts the pages as the dev server does: anything they decline gets the server's own answer. */
const serve = async (outbox: LocalOutbox): Promise<{ server: Server; base: string }> => {
  const pages = createOutboxPages(outbox);
  const server = createServer((request, response) => {
    if (pages(request, response)) return;
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end(NOT_MINE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

const confirmation = confirmEmailMessage({
  to: 'patient@example.org',
  serviceName: 'NHS login',
  link: 'http://localhost:8080/register/confirm?token=abc&next=1',
  validForMinutes: 1440,
});

const hostile = {
  kind: 'confirm-email' as const,
  to: 'attacker"><script>alert(1)</script>@example.org',
  subject: '<script>alert("subject")</script>',
  text: 'Hello <script>alert("text")</script> see https://evil.example/"onmouseover="alert(1)',
  html: '<p>Preview</p><script>alert("html")</script><img src=x onerror="alert(2)">',
};

describe('outbox pages', () => {
  let directory: string;
  let outbox: LocalOutbox;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'outbox-pages-'));
    let ids = 0;
    outbox = await LocalOutbox.open({
      directory,
      clock: () => new Date(Date.UTC(2025, 9, 26, 1, 30, ids)),
      newId: () => `message-${++ids}`,
    });
    ({ server, base } = await serve(outbox));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(directory, { recursive: true, force: true });
  });

  it('lists every message, newest first, with its text and its links clickable', async () => {
    // Prepare
    await outbox.send(confirmation);
    await outbox.send(
      securityCodeTextMessage({
        to: '+447700900123',
        serviceName: 'NHS login',
        code: '482913',
        validForMinutes: 5,
      }),
    );

    // Act
    const response = await fetch(`${base}/_dev/outbox`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('<link rel="stylesheet" href="/assets/nhsuk-frontend.min.css">');
    expect(page).toContain('<caption class="nhsuk-table__caption">2 messages</caption>');
    expect(page.indexOf('482913 is your NHS login security code')).toBeGreaterThan(0);
    expect(page.indexOf('482913')).toBeLessThan(page.indexOf('Confirm your email address'));
    const escapedLink = 'http://localhost:8080/register/confirm?token=abc&amp;next=1';
    expect(page).toContain(`<a href="${escapedLink}">${escapedLink}</a>`);
    expect(page).toContain('<a href="/_dev/outbox/message-1">');
  });

  it('says so when there are no messages', async () => {
    // Act
    const page = await (await fetch(`${base}/_dev/outbox`)).text();

    // Assess
    expect(page).toContain('No messages yet.');
    expect(page).not.toContain('<table');
  });

  it('shows HTML in a message as text on the list', async () => {
    // Prepare
    await outbox.send(hostile);

    // Act
    const page = await (await fetch(`${base}/_dev/outbox`)).text();

    // Assess
    expect(page).not.toContain('<script>');
    expect(page).toContain('Hello &lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;');
    expect(page).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');
    expect(page).toContain('attacker&quot;&gt;&lt;script&gt;');
    expect(page).toContain('<a href="https://evil.example/">https://evil.example/</a>&quot;onmouseover=');
  });

  it('shows one message with its HTML body in a sandboxed frame, escaped', async () => {
    // Prepare
    await outbox.send(hostile);

    // Act
    const response = await fetch(`${base}/_dev/outbox/message-1`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'none'");
    const page = await response.text();
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain(
      '<iframe sandbox="" srcdoc="&lt;p&gt;Preview&lt;/p&gt;&lt;script&gt;alert(&quot;html&quot;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"',
    );
  });

  it('shows a text message with its code and no frame', async () => {
    // Prepare
    await outbox.send(
      securityCodeTextMessage({
        to: '+447700900123',
        serviceName: 'NHS login',
        code: '482913',
        validForMinutes: 5,
      }),
    );

    // Act
    const page = await (await fetch(`${base}/_dev/outbox/message-1`)).text();

    // Assess
    expect(page).toContain('<h1 class="nhsuk-heading-l">Text message</h1>');
    expect(page).toContain('482913 is your NHS login security code.');
    expect(page).not.toContain('<iframe');
  });

  it('answers 404 for a message it does not have', async () => {
    // Act
    const response = await fetch(`${base}/_dev/outbox/message-9`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Message not found');
  });

  it('serves every message as JSON, newest first', async () => {
    // Prepare
    await outbox.send(confirmation);
    await outbox.send(hostile);

    // Act
    const response = await fetch(`${base}/_dev/outbox.json`);

    // Assess
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ messages: JSON.parse(JSON.stringify(outbox.messages())) });
    expect(outbox.messages()[0]?.id).toBe('message-2');
  });

  it('ignores a query string', async () => {
    // Prepare
    await outbox.send(confirmation);

    // Act
    const response = await fetch(`${base}/_dev/outbox.json?fresh=1`);

    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as { messages: unknown[] };
    expect(body.messages).toHaveLength(1);
  });

  it.each([
    ['GET', '/'],
    ['GET', '/_dev/outboxes'],
    ['GET', '/_dev/outbox/'],
    ['GET', '/_dev/outbox/message-1/extra'],
    ['GET', '/.well-known/openid-configuration'],
    ['POST', '/_dev/outbox'],
    ['DELETE', '/_dev/outbox/message-1'],
  ])('leaves %s %s to the server', async (method, path) => {
    // Prepare
    await outbox.send(confirmation);

    // Act
    const response = await fetch(`${base}${path}`, { method });

    // Assess
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(NOT_MINE);
  });
});
