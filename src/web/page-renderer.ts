import { randomBytes } from 'node:crypto';
import nunjucks from 'nunjucks';
import { urlFor } from '../routes.ts';

/** Where the templates live: our views, and the folder that holds nhsuk-frontend's `nhsuk/` macros. */
export interface ViewPaths {
  readonly views: string;
  readonly nhsukFrontend: string;
}

export interface RenderedPage {
  readonly html: string;
  /** The nonce the page's inline script carries; the response's CSP must allow it. */
  readonly nonce: string;
}

/** Renders the hosted pages with the NHS design system's Nunjucks macros, always autoescaped. */
export interface PageRenderer {
  render(template: string, data: Record<string, unknown>): RenderedPage;
}

const htmlEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * An email address, escaped, with a line-break opportunity (`<wbr>`) after its @ and before each
 * dot, so a narrow screen wraps it where a reader expects, not in the middle of a word.
 */
export const breakableEmail = (address: unknown): nunjucks.runtime.SafeString =>
  new nunjucks.runtime.SafeString(
    String(address ?? '')
      .replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character)
      .replace(/@/g, '@<wbr>')
      .replace(/\./g, '<wbr>.'),
  );

export const createPageRenderer = (
  paths: ViewPaths,
  globals: {
    serviceName: string;
    /** Globals of another set of pages (the review console's own `consoleUrlFor`). */
    readonly extra?: Readonly<Record<string, unknown>>;
  },
): PageRenderer => {
  const environment = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([paths.views, paths.nhsukFrontend]),
    {
      autoescape: true,
      throwOnUndefined: false,
    },
  );
  environment.addGlobal('serviceName', globals.serviceName);
  // An email address wraps at its @ and dots, never mid-word: `{{ email | breakableEmail }}`.
  environment.addFilter('breakableEmail', breakableEmail);
  // Templates link to pages by route id, as the code does: `href="{{ urlFor('login') }}"`.
  environment.addGlobal('urlFor', urlFor);
  for (const [name, value] of Object.entries(globals.extra ?? {})) environment.addGlobal(name, value);
  return {
    render: (template, data) => {
      const nonce = randomBytes(16).toString('base64');
      return { html: environment.render(template, { ...data, cspNonce: nonce }), nonce };
    },
  };
};
