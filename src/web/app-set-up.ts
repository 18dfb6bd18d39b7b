/** The key in groups of four, as apps' "enter a setup key" screens show it. */
const grouped = (key: string) => key.match(/.{1,4}/g)?.join(' ') ?? key;

/**
 * What an authenticator app's set-up page shows for a secret (pages/settings-app-set-up.njk): its
 * QR code, an SVG drawn here so the page needs no script, and its key to type in instead.
 */
export const appSetUpData = async (setUp: { readonly key: string; readonly uri: string }) => ({
  title: 'Set up an authenticator app',
  // Loaded at the first set-up: the login and settings pages do not evaluate it at cold start.
  qrCode: await (await import('qrcode')).default.toString(setUp.uri, {
    type: 'svg',
    margin: 2,
    width: 200,
    errorCorrectionLevel: 'M',
  }),
  key: grouped(setUp.key),
});
