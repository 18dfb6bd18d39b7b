import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../../domain/messaging/escape-html.ts';
import type { OutboxMessage } from './outbox.ts';

/** What the pages read from the outbox. */
export interface OutboxReader {
  messages(): readonly OutboxMessage[];
  find(id: string): OutboxMessage | undefined;
}

export const OUTBOX_PATH = '/_dev/outbox';

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Opening a confirmation link from here must not tell the next page where it came from.
  'referrer-policy': 'no-referrer',
  // No script anywhere; the email preview is a sandboxed srcdoc frame, which inherits this policy.
  'content-security-policy':
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
};

const layout = (title: string, main: string): string => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - Local outbox</title>
<link rel="stylesheet" href="/assets/nhsuk-frontend.min.css">
</head>
<body>
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="maincontent">
${main}
</main>
</div>
</body>
</html>
`;

const urlPattern = /https?:\/\/[^\s<>"']+/g;

/** Escapes a line of text and turns each web address in it into a link. */
const linkify = (line: string): string => {
  let html = '';
  let from = 0;
  for (const match of line.matchAll(urlPattern)) {
    // A sentence's full stop or a closing bracket after an address is not part of it.
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    html += escapeHtml(line.slice(from, match.index));
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    from = match.index + url.length;
  }
  return html + escapeHtml(line.slice(from));
};

/** The plain text body as paragraphs (blank lines) and line breaks, links clickable. */
const textAsHtml = (text: string): string =>
  text
    .trim()
    .split(/\n{2,}/)
    .map((block) => `<p class="nhsuk-body">${block.split('\n').map(linkify).join('<br>\n')}</p>`)
    .join('\n');

const channelName = (message: OutboxMessage): string =>
  message.channel === 'email' ? 'Email' : 'Text message';

const messageHref = (message: OutboxMessage): string => `${OUTBOX_PATH}/${encodeURIComponent(message.id)}`;

const sentAt = (message: OutboxMessage): string =>
  `<time datetime="${escapeHtml(message.sentAt)}">${escapeHtml(message.sentAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time>`;

const cell = (content: string): string => `<td class="nhsuk-table__cell">${content}</td>`;
const header = (label: string): string => `<th scope="col" class="nhsuk-table__header">${label}</th>`;

const listRow = (message: OutboxMessage): string =>
  [
    '<tr class="nhsuk-table__row">',
    cell(`<a href="${messageHref(message)}">${sentAt(message)}</a>`),
    cell(`${channelName(message)}<br><code>${escapeHtml(message.kind)}</code>`),
    cell(escapeHtml(message.to)),
    cell(
      (message.channel === 'email'
        ? `<p class="nhsuk-body"><strong>${escapeHtml(message.subject)}</strong></p>\n`
        : '') + textAsHtml(message.text),
    ),
    '</tr>',
  ].join('\n');

const listPage = (messages: readonly OutboxMessage[]): string => {
  const intro = `<h1 class="nhsuk-heading-l">Local outbox</h1>
<p class="nhsuk-body">Emails and text messages sent by the local stack, newest first. Nothing here was delivered. The same list is at <a href="${OUTBOX_PATH}.json">${OUTBOX_PATH}.json</a>.</p>`;
  if (messages.length === 0)
    return layout('Messages', `${intro}\n<p class="nhsuk-body">No messages yet.</p>`);
  return layout(
    'Messages',
    `${intro}
<table class="nhsuk-table">
<caption class="nhsuk-table__caption">${messages.length} ${messages.length === 1 ? 'message' : 'messages'}</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${['Sent', 'Type', 'To', 'Message'].map(header).join('')}</tr></thead>
<tbody class="nhsuk-table__body">
${messages.map(listRow).join('\n')}
</tbody>
</table>`,
  );
};

const summaryRow = (key: string, value: string): string =>
  `<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${key}</dt><dd class="nhsuk-summary-list__value">${value}</dd></div>`;

/** The email's own HTML is shown in a frame sandboxed with no permissions (no script, no forms, opaque origin). */
const emailHtml = (html: string): string => `<h2 class="nhsuk-heading-m">HTML</h2>
<iframe sandbox="" srcdoc="${escapeHtml(html)}" title="The HTML body of the email" width="100%" height="480"></iframe>
<details class="nhsuk-details">
<summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">HTML source</span></summary>
<div class="nhsuk-details__text"><pre><code>${escapeHtml(html)}</code></pre></div>
</details>`;

const messagePage = (message: OutboxMessage): string => {
  const title = message.channel === 'email' ? message.subject : 'Text message';
  return layout(
    title,
    `<a class="nhsuk-back-link" href="${OUTBOX_PATH}">Back to the outbox</a>
<h1 class="nhsuk-heading-l">${escapeHtml(title)}</h1>
<dl class="nhsuk-summary-list">
${summaryRow('Sent', sentAt(message))}
${summaryRow('Type', `${channelName(message)}, <code>${escapeHtml(message.kind)}</code>`)}
${summaryRow('To', escapeHtml(message.to))}
${summaryRow('Id', `<code>${escapeHtml(message.id)}</code>`)}
</dl>
<h2 class="nhsuk-heading-m">Text</h2>
${textAsHtml(message.text)}
${message.channel === 'email' ? emailHtml(message.html) : ''}`,
  );
};

const notFoundPage = (): string =>
  layout(
    'Message not found',
    `<h1 class="nhsuk-heading-l">Message not found</h1>
<p class="nhsuk-body"><a href="${OUTBOX_PATH}">Go to the outbox</a></p>`,
  );

const reply = (response: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
  response.writeHead(status, headers);
  response.end(body);
};

const decodedId = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/**
 * The local outbox pages, for the dev server's `localRoutes` hook: `GET /_dev/outbox` (every
 * message, newest first), `GET /_dev/outbox/{id}` (one message) and `GET /_dev/outbox.json`.
 * Returns false for any other request, so the dev server answers it. Only the local stack mounts
 * this: the pages show codes and links, and are never deployed.
 */
export const createOutboxPages =
  (outbox: OutboxReader) =>
  (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    // The raw path, as the dev server matches routes: `/_dev/x/../outbox` is not the outbox.
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === OUTBOX_PATH) {
      reply(response, 200, pageHeaders, listPage(outbox.messages()));
      return true;
    }
    if (path === `${OUTBOX_PATH}.json`) {
      const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
      reply(response, 200, headers, JSON.stringify({ messages: outbox.messages() }));
      return true;
    }
    const segment = path.startsWith(`${OUTBOX_PATH}/`) ? path.slice(OUTBOX_PATH.length + 1) : '';
    if (segment === '' || segment.includes('/')) return false;
    const id = decodedId(segment);
    const message = id === undefined ? undefined : outbox.find(id);
    if (message) reply(response, 200, pageHeaders, messagePage(message));
    else reply(response, 404, pageHeaders, notFoundPage());
    return true;
  };
