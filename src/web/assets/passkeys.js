// The page's passkey ceremony, with SimpleWebAuthn's browser library (loaded before this script).
// Each passkey form carries its options in data-options; the browser's answer goes into the form's
// `credential` field and the form is posted as any other. Without the library or WebAuthn, the
// passkey parts stay hidden and the page says what else to do.
const webAuthn = globalThis.SimpleWebAuthnBrowser;
const supported = webAuthn?.browserSupportsWebAuthn() === true;

for (const element of document.querySelectorAll('[data-passkey-only]')) element.hidden = !supported;
for (const element of document.querySelectorAll('[data-passkey-unsupported]')) element.hidden = supported;

const post = (form, response) => {
  form.querySelector('input[name="credential"]').value = JSON.stringify(response);
  form.submit();
};

const failed = (form, error) => {
  // The patient closed the prompt, or the device could not: say so beside the button.
  const message = form.querySelector('[data-passkey-failed]');
  if (message) message.hidden = false;
  form.querySelector('button')?.removeAttribute('disabled');
  console.warn('Passkey ceremony ended:', error?.name ?? 'error');
};

for (const form of document.querySelectorAll('form[data-passkey]')) {
  const kind = form.dataset.passkey;
  const optionsJSON = JSON.parse(form.dataset.options);
  if (!supported) {
    if (kind === 'register' || kind === 'login-email') form.querySelector('button').disabled = true;
    continue;
  }
  form.addEventListener('submit', async (event) => {
    if (form.querySelector('input[name="credential"]').value !== '') return;
    // The email-first page checks its address on the server, before any passkey is asked for.
    const email = form.querySelector('input[name="email"]');
    if (email && email.value.trim() === '') return;
    event.preventDefault();
    try {
      const response =
        kind === 'register'
          ? await webAuthn.startRegistration({ optionsJSON })
          : await webAuthn.startAuthentication({ optionsJSON });
      post(form, response);
    } catch (error) {
      failed(form, error);
    }
  });
  // On the login page, the email field offers the browser's passkeys as it is filled in (seed 004:
  // "Enter your email address ... your device will ask you to authenticate").
  if (kind === 'login' && (await webAuthn.browserSupportsWebAuthnAutofill())) {
    webAuthn
      .startAuthentication({ optionsJSON, useBrowserAutofill: true })
      .then((response) => post(form, response))
      .catch(() => {
        // Cancelled by the button's own ceremony, or not chosen: the password form goes on working.
      });
  }
}
