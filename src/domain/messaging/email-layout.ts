import { escapeHtml } from './escape-html.ts';
import type { EmailKind, EmailMessage } from './message-senders.ts';

/** One piece of an email's body; both the plain text and the HTML are rendered from these. */
export type EmailBlock =
  | { readonly type: 'paragraph'; readonly text: string }
  | { readonly type: 'code'; readonly code: string }
  | { readonly type: 'link'; readonly label: string; readonly href: string };

export interface EmailContent {
  readonly kind: EmailKind;
  readonly to: string;
  readonly serviceName: string;
  /** Also the page heading. */
  readonly subject: string;
  readonly blocks: readonly EmailBlock[];
}

export const paragraph = (text: string): EmailBlock => ({ type: 'paragraph', text });
export const code = (value: string): EmailBlock => ({ type: 'code', code: value });
export const link = (label: string, href: string): EmailBlock => {
  // Links come from our own configuration; refusing anything but a web address keeps a
  // `javascript:` or `data:` URL out of an href even if a setting is wrong.
  const url = URL.parse(href);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError('An email link must be an absolute http or https URL');
  }
  return { type: 'link', label, href };
};

const footer = (serviceName: string): EmailBlock =>
  paragraph(`This is an automatic email from ${serviceName}. Do not reply to it.`);

const textBlock = (block: EmailBlock): string => {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'code':
      return block.code;
    case 'link':
      return `${block.label}:\n${block.href}`;
  }
};

const htmlBlock = (block: EmailBlock): string => {
  switch (block.type) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'code':
      return `<p><strong>${escapeHtml(block.code)}</strong></p>`;
    case 'link': {
      const href = escapeHtml(block.href);
      return [
        `<p><a href="${href}">${escapeHtml(block.label)}</a></p>`,
        `<p>If the link does not work, copy this address into your browser:<br>${href}</p>`,
      ].join('\n');
    }
  }
};

/** Renders the plain text and the HTML body of an email from the same blocks. */
export const renderEmail = (content: EmailContent): EmailMessage => {
  const blocks = [...content.blocks, footer(content.serviceName)];
  const subject = escapeHtml(content.subject);
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${subject}</title>`,
    '</head>',
    '<body>',
    `<h1>${subject}</h1>`,
    ...blocks.map(htmlBlock),
    '</body>',
    '</html>',
    '',
  ].join('\n');
  const text = `${[content.subject, ...blocks.map(textBlock)].join('\n\n')}\n`;
  return { kind: content.kind, to: content.to, subject: content.subject, text, html };
};
