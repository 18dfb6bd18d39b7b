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

export const createPageRenderer = (paths: ViewPaths, globals: { serviceName: string }): PageRenderer => {
  const environment = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([paths.views, paths.nhsukFrontend]),
    {
      autoescape: true,
      throwOnUndefined: false,
    },
  );
  environment.addGlobal('serviceName', globals.serviceName);
  // Templates link to pages by route id, as the code does: `href="{{ urlFor('login') }}"`.
  environment.addGlobal('urlFor', urlFor);
  return {
    render: (template, data) => {
      const nonce = randomBytes(16).toString('base64');
      return { html: environment.render(template, { ...data, cspNonce: nonce }), nonce };
    },
  };
};
