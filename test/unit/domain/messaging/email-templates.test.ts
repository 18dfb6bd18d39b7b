import { describe, expect, it } from 'vitest';
import {
  accountDeletedMessage,
  accountReplacedMessage,
  alreadyRegisteredMessage,
  confirmEmailMessage,
  confirmNewEmailMessage,
  emailChangedMessage,
  emailTemplates,
  identityCheckApprovedMessage,
  identityCheckDelayedMessage,
  identityCheckMoreNeededMessage,
  identityCheckRejectedMessage,
  identityCheckRejectionReasons,
  passwordChangedMessage,
  phoneChangedMessage,
  resetNoAccountMessage,
  resetPasswordMessage,
  securityCodeEmailMessage,
} from '../../../../src/domain/messaging/email-templates.ts';
import { escapeHtml } from '../../../../src/domain/messaging/escape-html.ts';
import type { EmailKind, EmailMessage } from '../../../../src/domain/messaging/message-senders.ts';

const TO = 'patient@example.org';
const SERVICE = 'NHS login';
const LINK = 'https://login.example.org/confirm?token=abc123&state=x';
const RESET = 'https://login.example.org/forgot-password';
const CONTACT = 'https://help.example.org/contact';
const CANCEL = 'https://login.example.org/phone/cancel?token=def456';

type TemplateInput<K extends EmailKind> = Parameters<(typeof emailTemplates)[K]>[0];

/** One example input for every kind; the type makes a new kind without an example a compile error. */
const examples: { readonly [K in EmailKind]: TemplateInput<K> } = {
  'confirm-email': { to: TO, serviceName: SERVICE, link: LINK, validForMinutes: 1440 },
  'already-registered': { to: TO, serviceName: SERVICE, link: RESET, validForMinutes: 60 },
  'unlock-account': { to: TO, serviceName: SERVICE, link: LINK, validForMinutes: 60 },
  'unlock-no-account': { to: TO, serviceName: SERVICE, registerLink: LINK },
  'email-change-requested': {
    to: TO,
    serviceName: SERVICE,
    contactLink: CONTACT,
    reportLink: LINK,
    validForMinutes: 1440,
  },
  'security-code': { to: TO, serviceName: SERVICE, code: '123456', validForMinutes: 5 },
  'reset-password': { to: TO, serviceName: SERVICE, link: LINK, validForMinutes: 60 },
  'reset-no-account': { to: TO, serviceName: SERVICE, registerLink: LINK },
  'password-changed': { to: TO, serviceName: SERVICE, resetPasswordLink: RESET, contactLink: CONTACT },
  'confirm-new-email': { to: TO, serviceName: SERVICE, link: LINK, validForMinutes: 1440 },
  'email-changed': {
    to: TO,
    serviceName: SERVICE,
    contactLink: CONTACT,
    reportLink: LINK,
    validForMinutes: 1440,
  },
  'phone-changed': {
    to: TO,
    serviceName: SERVICE,
    cancelLink: CANCEL,
    validForMinutes: 1440,
    contactLink: CONTACT,
  },
  'account-deleted': { to: TO, serviceName: SERVICE, contactLink: CONTACT },
  'account-replaced': { to: TO, serviceName: SERVICE, contactLink: CONTACT },
  'identity-moved': { to: TO, serviceName: SERVICE, contactLink: CONTACT },
  'identity-check-approved': { to: TO, serviceName: SERVICE },
  'identity-check-rejected': { to: TO, serviceName: SERVICE, contactLink: CONTACT, reason: 'id-expired' },
  'identity-check-more-needed': { to: TO, serviceName: SERVICE, needed: 'video', startLink: LINK },
  'identity-check-delayed': { to: TO, serviceName: SERVICE },
  'passkey-added': {
    to: TO,
    serviceName: SERVICE,
    contactLink: CONTACT,
    passkeyName: 'Google Password Manager',
    settingsLink: 'https://login.example.org/settings',
  },
  'passkey-removed': { to: TO, serviceName: SERVICE, contactLink: CONTACT, passkeyName: 'My phone' },
  'authenticator-app-added': { to: TO, serviceName: SERVICE, contactLink: CONTACT },
  'authenticator-app-removed': { to: TO, serviceName: SERVICE, contactLink: CONTACT },
};

const build = <K extends EmailKind>(kind: K, input: TemplateInput<K>): EmailMessage =>
  (emailTemplates[kind] as (input: TemplateInput<K>) => EmailMessage)(input);

const kinds = Object.keys(examples) as EmailKind[];

/** The paragraphs of the plain text body (the first is the heading). */
const textBlocks = (message: EmailMessage): string[] => message.text.trim().split('\n\n');

describe('email templates', () => {
  it.each(kinds)('builds a %s email of its kind, addressed to the patient', (kind) => {
    // Act
    const message = build(kind, examples[kind]);

    // Assess
    expect(message.kind).toBe(kind);
    expect(message.to).toBe(TO);
    expect(message.subject).not.toBe('');
  });

  it.each(kinds)('renders the %s text and HTML bodies from the same words', (kind) => {
    // Act
    const message = build(kind, examples[kind]);

    // Assess
    const lines = textBlocks(message).flatMap((block) => block.split('\n'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(message.html).toContain(escapeHtml(line.replace(/:$/, '')));
  });

  it.each(kinds)('makes the %s HTML a simple English document headed by the subject', (kind) => {
    // Act
    const message = build(kind, examples[kind]);

    // Assess
    expect(message.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(message.html).toContain('<meta charset="utf-8">');
    expect(message.html).toContain(`<title>${escapeHtml(message.subject)}</title>`);
    expect(message.html.match(/<h1>/g)).toHaveLength(1);
    expect(message.html).toContain(`<h1>${escapeHtml(message.subject)}</h1>`);
    expect(message.html).not.toMatch(/<script|<style|style=/);
    expect(textBlocks(message)[0]).toBe(message.subject);
  });

  it.each(kinds)('says who sent the %s email and not to reply', (kind) => {
    // Act
    const message = build(kind, examples[kind]);

    // Assess
    expect(
      message.text.trim().endsWith('This is an automatic email from NHS login. Do not reply to it.'),
    ).toBe(true);
  });

  it('shows a link both as a link and as an address to copy, escaped in the HTML', () => {
    // Act
    const message = confirmEmailMessage(examples['confirm-email']);

    // Assess
    const escaped = 'https://login.example.org/confirm?token=abc123&amp;state=x';
    expect(message.html).toContain(`<p><a href="${escaped}">Confirm your email address</a></p>`);
    expect(message.html).toContain(`copy this address into your browser:<br>${escaped}</p>`);
    expect(message.text).toContain(`Confirm your email address:\n${LINK}\n`);
  });

  it('escapes a service name and values that contain HTML', () => {
    // Prepare
    const serviceName = '<script>alert("x")</script> & Co';

    // Act
    const message = securityCodeEmailMessage({ to: TO, serviceName, code: '<b>1</b>', validForMinutes: 5 });

    // Assess
    expect(message.html).not.toContain('<script>');
    expect(message.html).not.toContain('<b>1</b>');
    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(message.html).toContain('<p><strong>&lt;b&gt;1&lt;/b&gt;</strong></p>');
    expect(message.text).toContain(serviceName);
  });

  it.each(['javascript:alert(1)', 'data:text/html,<script>x</script>', '/relative/path', 'not a url'])(
    'refuses to put %s in a link',
    (link) => {
      // Act
      const building = () => confirmEmailMessage({ to: TO, serviceName: SERVICE, link, validForMinutes: 60 });

      // Assess
      expect(building).toThrow(TypeError);
    },
  );

  it('asks the patient to confirm their email within the link lifetime', () => {
    // Act
    const message = confirmEmailMessage(examples['confirm-email']);

    // Assess
    expect(message.subject).toBe('Confirm your email address');
    expect(message.text).toContain('Confirm your email address to finish setting up your NHS login account.');
    expect(message.text).toContain('The link expires in 24 hours.');
    expect(message.text).toContain('If you did not ask for this, you do not need to do anything.');
  });

  it('tells someone who already has an account to log in or reset their password, or do nothing', () => {
    // Act
    const message = alreadyRegisteredMessage(examples['already-registered']);

    // Assess
    expect(message.subject).toBe('You already have an account');
    expect(message.text).toContain(
      'Someone tried to set up a new NHS login account with this email address.',
    );
    expect(message.text).toContain('log in with your email address and password');
    expect(message.text).toContain(`Reset your password:\n${RESET}`);
    expect(message.text).toContain('If this was not you, you do not need to do anything.');
  });

  it('sends the security code in the body only, with its lifetime in minutes', () => {
    // Act
    const message = securityCodeEmailMessage({
      to: TO,
      serviceName: SERVICE,
      code: '987654',
      validForMinutes: 5,
    });

    // Assess
    expect(message.subject).toBe('Your NHS login security code');
    expect(message.subject).not.toContain('987654');
    expect(message.text).toContain('Your security code is:\n\n987654\n');
    expect(message.text).toContain('It expires in 5 minutes. Do not share it with anyone.');
    expect(message.html).toContain('<p><strong>987654</strong></p>');
  });

  it('gives the password reset link and its 1 hour lifetime', () => {
    // Act
    const message = resetPasswordMessage(examples['reset-password']);

    // Assess
    expect(message.subject).toBe('Reset your NHS login password');
    expect(message.text).toContain(`Reset your password:\n${LINK}`);
    expect(message.text).toContain('The link expires in 1 hour.');
    expect(message.text).toContain('Your password has not been changed.');
  });

  it('names the service with the right article in the email to an address without an account', () => {
    // Act
    const message = resetNoAccountMessage({
      to: 'someone@example.com',
      serviceName: 'NHS login',
      registerLink: LINK,
    });

    // Assess
    expect(message.text).toContain('Someone asked to reset the password of an NHS login account');
  });

  it('tells the patient their password changed, and what to do if it was not them', () => {
    // Act
    const message = passwordChangedMessage(examples['password-changed']);

    // Assess
    expect(message.subject).toBe('Your NHS login password has been changed');
    expect(message.text).toContain('If you did not change it, reset your password now and contact us.');
    expect(message.text).toContain(`Reset your password:\n${RESET}`);
    expect(message.text).toContain(`Contact us:\n${CONTACT}`);
  });

  it('asks the patient to confirm a new email address within the link lifetime', () => {
    // Act
    const message = confirmNewEmailMessage(examples['confirm-new-email']);

    // Assess
    expect(message.subject).toBe('Confirm your new email address');
    expect(message.text).toContain(`Confirm your new email address:\n${LINK}`);
    expect(message.text).toContain('The link expires in 24 hours.');
  });

  it('tells the old address the email changed, without naming any address', () => {
    // Act
    const message = emailChangedMessage(examples['email-changed']);

    // Assess
    expect(message.subject).toBe('Your NHS login email address has been changed');
    expect(message.text).toContain('If you did not change it, tell us now.');
    expect(message.text).toContain(`This was not me:\n${LINK}`);
    expect(message.text).not.toContain('@');
    expect(message.html).not.toContain('@');
  });

  it('offers a cancel link when the mobile number changed, with its lifetime', () => {
    // Act
    const message = phoneChangedMessage(examples['phone-changed']);

    // Assess
    expect(message.subject).toBe('Your NHS login mobile number has been changed');
    expect(message.text).toContain(`Cancel the change to your mobile number:\n${CANCEL}`);
    expect(message.text).toContain('The link expires in 24 hours. After that, contact us.');
    expect(message.text).toContain(`Contact us:\n${CONTACT}`);
  });

  it('confirms the account was deleted and how to use the service again', () => {
    // Act
    const message = accountDeletedMessage(examples['account-deleted']);

    // Assess
    expect(message.subject).toBe('Your NHS login account has been deleted');
    expect(message.text).toContain('you will need to set up a new account');
    expect(message.text).toContain('If you did not ask for your account to be deleted, contact us.');
  });

  it('tells the old address its account was replaced, and what to do if that was not them', () => {
    // Act
    const message = accountReplacedMessage(examples['account-replaced']);

    // Assess
    expect(message.subject).toBe('Your NHS login account has been deleted');
    expect(message.text).toContain('could not log in to your NHS login account');
    expect(message.text).toContain('If this was not you, contact us straight away.');
    expect(message.text).toContain(CONTACT);
  });

  it.each(Object.entries(identityCheckRejectionReasons))(
    'says why a check was rejected (%s) and what to do, and nothing else about the patient',
    (reason, { why, next }) => {
      // Act
      const message = identityCheckRejectedMessage({
        ...examples['identity-check-rejected'],
        reason: reason as keyof typeof identityCheckRejectionReasons,
      });

      // Assess
      expect(message.subject).toBe('Your ID check');
      expect(message.text).toContain(why);
      expect(message.text).toContain(`What you can do: ${next}`);
      expect(message.text).not.toMatch(/\d{10}/);
    },
  );

  it.each([
    ['photo', 'We need a new photo of your ID'],
    ['video', 'We need a new video of you'],
  ] as const)('asks for a new %s with a link to the start, never a token', (needed, words) => {
    // Act
    const message = identityCheckMoreNeededMessage({ ...examples['identity-check-more-needed'], needed });

    // Assess
    expect(message.text).toContain(words);
    expect(message.text).toContain('You will not need to send the rest again.');
  });

  it('says a passed check and a late one in plain words', () => {
    // Act
    const approved = identityCheckApprovedMessage(examples['identity-check-approved']);
    const delayed = identityCheckDelayedMessage(examples['identity-check-delayed']);

    // Assess
    expect(approved.text).toContain('You have proved who you are.');
    expect(delayed.text).toContain('taking longer than usual');
    expect(delayed.text).toContain('We will email you when we have checked them.');
  });

  it('uses the configured service name', () => {
    // Act
    const message = resetPasswordMessage({ ...examples['reset-password'], serviceName: 'Patient login' });

    // Assess
    expect(message.subject).toBe('Reset your Patient login password');
    expect(message.text).not.toContain('NHS login');
  });
});
