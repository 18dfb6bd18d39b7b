import { code, link, paragraph, renderEmail } from './email-layout.ts';
import type { EmailKind, EmailMessage } from './message-senders.ts';
import { describeMinutes, withIndefiniteArticle } from './message-wording.ts';

/** What every email needs: who it goes to and the name the patient knows us by (e.g. "NHS login"). */
export interface EmailAddressee {
  readonly to: string;
  readonly serviceName: string;
}

/** A single-use link and how long it works for (the configured lifetime, so the words match it). */
export interface ExpiringLink {
  readonly link: string;
  readonly validForMinutes: number;
}

/** Where a patient who did not make a change gets help. */
export interface ContactLink {
  readonly contactLink: string;
}

const expiry = (validForMinutes: number) =>
  paragraph(`The link expires in ${describeMinutes(validForMinutes)}.`);

/** Sent after registration: the link that confirms the address and finishes setting up the account. */
export const confirmEmailMessage = (input: EmailAddressee & ExpiringLink): EmailMessage =>
  renderEmail({
    kind: 'confirm-email',
    to: input.to,
    serviceName: input.serviceName,
    subject: 'Confirm your email address',
    blocks: [
      paragraph(`Confirm your email address to finish setting up your ${input.serviceName} account.`),
      link('Confirm your email address', input.link),
      expiry(input.validForMinutes),
      paragraph('If you did not ask for this, you do not need to do anything.'),
    ],
  });

/**
 * Sent instead of a confirmation link when the address already has an account, so the
 * registration page can look the same either way and never reveals that an account exists. It
 * carries a reset link, which also needs the security code texted to the account's phone.
 */
export const alreadyRegisteredMessage = (input: EmailAddressee & ExpiringLink): EmailMessage =>
  renderEmail({
    kind: 'already-registered',
    to: input.to,
    serviceName: input.serviceName,
    subject: 'You already have an account',
    blocks: [
      paragraph(`Someone tried to set up a new ${input.serviceName} account with this email address.`),
      paragraph('You already have an account with this email address, so we did not set up a new one.'),
      paragraph(
        'If this was you, go back to the website or app you were using and log in with your email address and password.',
      ),
      paragraph(
        'If you have forgotten your password, you can reset it. You will also need your mobile phone for a security code.',
      ),
      link('Reset your password', input.link),
      expiry(input.validForMinutes),
      paragraph(
        'If this was not you, you do not need to do anything. Someone may have typed your email address by mistake.',
      ),
    ],
  });

/** A security code sent by email (the text message is `securityCodeTextMessage`). */
export const securityCodeEmailMessage = (
  input: EmailAddressee & { readonly code: string; readonly validForMinutes: number },
): EmailMessage =>
  renderEmail({
    kind: 'security-code',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Your ${input.serviceName} security code`,
    blocks: [
      paragraph('Your security code is:'),
      code(input.code),
      paragraph(`It expires in ${describeMinutes(input.validForMinutes)}. Do not share it with anyone.`),
      paragraph(
        'If you did not ask for this code, someone else may know your password. Reset your password to keep your account secure.',
      ),
    ],
  });

export const resetPasswordMessage = (input: EmailAddressee & ExpiringLink): EmailMessage =>
  renderEmail({
    kind: 'reset-password',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Reset your ${input.serviceName} password`,
    blocks: [
      paragraph(`You asked to reset the password for your ${input.serviceName} account.`),
      link('Reset your password', input.link),
      expiry(input.validForMinutes),
      paragraph(
        'You will also need your mobile phone: we will send a security code to it before you choose a new password.',
      ),
      paragraph(
        'If you did not ask to reset your password, you do not need to do anything. Your password has not been changed.',
      ),
    ],
  });

/** A reset was asked for an address without an account: sent so the answer and its timing give nothing away. */
export const resetNoAccountMessage = (
  input: EmailAddressee & { readonly registerLink: string },
): EmailMessage =>
  renderEmail({
    kind: 'reset-no-account',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Reset your ${input.serviceName} password`,
    blocks: [
      paragraph(
        `Someone asked to reset the password of ${withIndefiniteArticle(input.serviceName)} account with this email address.`,
      ),
      paragraph(
        'There is no account with this email address, so we have not sent a link to reset a password.',
      ),
      paragraph(
        'If this was you, you may have set up your account with a different email address. Try that one.',
      ),
      paragraph('If you do not have an account, you can create one.'),
      link('Create an account', input.registerLink),
      paragraph('If this was not you, you do not need to do anything.'),
    ],
  });

/** The unlock link the "you cannot log in for a while" page offers; it also needs the second factor. */
export const unlockAccountMessage = (input: EmailAddressee & ExpiringLink): EmailMessage =>
  renderEmail({
    kind: 'unlock-account',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Unlock your ${input.serviceName} account`,
    blocks: [
      paragraph(
        `You asked to unlock your ${input.serviceName} account after the wrong password was entered too many times.`,
      ),
      link('Unlock your account', input.link),
      expiry(input.validForMinutes),
      paragraph('You will also need your mobile phone: we will send a security code to it.'),
      paragraph(
        'If you did not ask for this, someone may be trying to guess your password. You do not need to do anything: your account is safe while they do not know it.',
      ),
    ],
  });

/** An unlock was asked for an address without an account: sent so the answer and its timing give nothing away. */
export const unlockNoAccountMessage = (
  input: EmailAddressee & { readonly registerLink: string },
): EmailMessage =>
  renderEmail({
    kind: 'unlock-no-account',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Unlock your ${input.serviceName} account`,
    blocks: [
      paragraph(
        `Someone asked to unlock ${withIndefiniteArticle(input.serviceName)} account with this email address.`,
      ),
      paragraph('There is no account with this email address, so there is nothing to unlock.'),
      paragraph(
        'If this was you, you may have set up your account with a different email address. Try that one.',
      ),
      paragraph('If you do not have an account, you can create one.'),
      link('Create an account', input.registerLink),
      paragraph('If this was not you, you do not need to do anything.'),
    ],
  });

export const passwordChangedMessage = (
  input: EmailAddressee & ContactLink & { readonly resetPasswordLink: string },
): EmailMessage =>
  renderEmail({
    kind: 'password-changed',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Your ${input.serviceName} password has been changed`,
    blocks: [
      paragraph(`The password for your ${input.serviceName} account has been changed.`),
      paragraph('If you changed it, you do not need to do anything.'),
      paragraph('If you did not change it, reset your password now and contact us.'),
      link('Reset your password', input.resetPasswordLink),
      link('Contact us', input.contactLink),
    ],
  });

/** Sent to the new address when a patient changes their email address. */
export const confirmNewEmailMessage = (input: EmailAddressee & ExpiringLink): EmailMessage =>
  renderEmail({
    kind: 'confirm-new-email',
    to: input.to,
    serviceName: input.serviceName,
    subject: 'Confirm your new email address',
    blocks: [
      paragraph(`You asked to use this email address for your ${input.serviceName} account.`),
      paragraph('Confirm this email address to finish the change. You will then use it to log in.'),
      link('Confirm your new email address', input.link),
      expiry(input.validForMinutes),
      paragraph('If you did not ask for this, you do not need to do anything.'),
    ],
  });

/**
 * Sent to the current address as soon as a change of address is asked for (it names neither
 * address), with a link to report that it was not the patient: that cancels the change and logs
 * out every session.
 */
export const emailChangeRequestedMessage = (
  input: EmailAddressee & ContactLink & { readonly reportLink: string; readonly validForMinutes: number },
): EmailMessage =>
  renderEmail({
    kind: 'email-change-requested',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Someone asked to change your ${input.serviceName} email address`,
    blocks: [
      paragraph(
        `Someone logged in to your ${input.serviceName} account asked to change its email address to a different one.`,
      ),
      paragraph(
        'The change only happens if the link we sent to the new address is used. If you asked for it, you do not need to do anything.',
      ),
      paragraph(
        'If this was not you, tell us now. We will cancel the change and log the account out everywhere.',
      ),
      link('This was not me', input.reportLink),
      paragraph(`The link expires in ${describeMinutes(input.validForMinutes)}.`),
      link('Contact us', input.contactLink),
    ],
  });

/**
 * Sent to the old address once the change is confirmed; it names neither address, and its "this
 * was not me" link puts the old address back for 24 hours.
 */
export const emailChangedMessage = (
  input: EmailAddressee & ContactLink & { readonly reportLink: string; readonly validForMinutes: number },
): EmailMessage =>
  renderEmail({
    kind: 'email-changed',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Your ${input.serviceName} email address has been changed`,
    blocks: [
      paragraph(`The email address for your ${input.serviceName} account has been changed.`),
      paragraph('You now need to use your new email address to log in.'),
      paragraph(
        'If you did not change it, tell us now. We will put this email address back and log the account out everywhere.',
      ),
      link('This was not me', input.reportLink),
      paragraph(`The link expires in ${describeMinutes(input.validForMinutes)}. After that, contact us.`),
      link('Contact us', input.contactLink),
    ],
  });

/** Sent to the account's email address; it does not show the new number. */
export const phoneChangedMessage = (
  input: EmailAddressee & ContactLink & { readonly cancelLink: string; readonly validForMinutes: number },
): EmailMessage =>
  renderEmail({
    kind: 'phone-changed',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Your ${input.serviceName} mobile number has been changed`,
    blocks: [
      paragraph(`The mobile number for your ${input.serviceName} account has been changed.`),
      paragraph('We will now send security codes to the new number.'),
      paragraph('If you changed it, you do not need to do anything.'),
      paragraph('If you did not change it, cancel the change.'),
      link('Cancel the change to your mobile number', input.cancelLink),
      paragraph(`The link expires in ${describeMinutes(input.validForMinutes)}. After that, contact us.`),
      link('Contact us', input.contactLink),
    ],
  });

export const accountDeletedMessage = (input: EmailAddressee & ContactLink): EmailMessage =>
  renderEmail({
    kind: 'account-deleted',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Your ${input.serviceName} account has been deleted`,
    blocks: [
      paragraph(`Your ${input.serviceName} account has been deleted.`),
      paragraph('You can no longer use it to log in to websites and apps.'),
      paragraph(`If you want to use ${input.serviceName} again, you will need to set up a new account.`),
      paragraph('If you did not ask for your account to be deleted, contact us.'),
      link('Contact us', input.contactLink),
    ],
  });

/** To the address of an account a newer one with the same NHS number replaced (seed 002). */
export const accountReplacedMessage = (input: EmailAddressee & ContactLink): EmailMessage =>
  renderEmail({
    kind: 'account-replaced',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Your ${input.serviceName} account has been deleted`,
    blocks: [
      paragraph(
        `Someone who proved who they are with your NHS number told us they could not log in to your ${input.serviceName} account, so we have deleted it. You can only have one account for your NHS number.`,
      ),
      paragraph(
        'Your NHS number is now connected to the account they set up with a different email address.',
      ),
      paragraph('If this was not you, contact us straight away.'),
      link('Contact us', input.contactLink),
    ],
  });

/** To the address of the account that replaced another with the same NHS number. */
export const identityMovedMessage = (input: EmailAddressee & ContactLink): EmailMessage =>
  renderEmail({
    kind: 'identity-moved',
    to: input.to,
    serviceName: input.serviceName,
    subject: `Your other ${input.serviceName} account has been deleted`,
    blocks: [
      paragraph(
        `You told us you could not log in to your other ${input.serviceName} account, so we have deleted it. Your NHS number is now connected to this account.`,
      ),
      paragraph(
        'Websites and apps you used with your other account will connect you to your information again when you log in to them with this one.',
      ),
      paragraph('If this was not you, contact us straight away.'),
      link('Contact us', input.contactLink),
    ],
  });

/** Why a photo-ID check was rejected, as the reviewer chooses it: each with what the patient can do. */
export const identityCheckRejectionReasons = {
  'photo-unclear': {
    why: 'We could not see the details on your photo ID clearly.',
    next: 'Take a new photo of your ID in good light, with all of it in the picture and nothing covering it.',
  },
  'id-not-accepted': {
    why: 'The ID you sent is not one we can accept.',
    next: 'Use a passport, a UK driving licence (full or provisional), a full European driving licence or a European national identity card.',
  },
  'id-expired': {
    why: 'Your ID expired more than 12 months ago.',
    next: 'Use ID that is in date, or that expired less than 12 months ago.',
  },
  'face-not-matching': {
    why: 'We could not match the face in your video to the photo on your ID.',
    next: 'Record a new video in good light, facing the camera, without anything covering your face.',
  },
  'numbers-not-shown': {
    why: 'We could not see or hear you say, sign or write the 4 numbers in your video.',
    next: 'Record a new video, saying, signing or writing the 4 numbers shown on the screen.',
  },
  'details-not-matching': {
    why: 'The details you entered do not match your ID or your NHS record.',
    next: 'Check your date of birth, NHS number, name and postcode, or contact us.',
  },
} as const satisfies Record<string, { why: string; next: string }>;

export type IdentityCheckRejectionReason = keyof typeof identityCheckRejectionReasons;

const identityCheckSubject = 'Your ID check';

/** The photo-ID check passed (seed 001: "emailed to let them know if the ID check has been successful"). */
export const identityCheckApprovedMessage = (input: EmailAddressee): EmailMessage =>
  renderEmail({
    kind: 'identity-check-approved',
    to: input.to,
    serviceName: input.serviceName,
    subject: identityCheckSubject,
    blocks: [
      paragraph('We have checked your photo ID and video. You have proved who you are.'),
      paragraph(
        `You can now use your ${input.serviceName} to access services that need to know who you are, such as your GP health record.`,
      ),
    ],
  });

export const identityCheckRejectedMessage = (
  input: EmailAddressee & ContactLink & { readonly reason: IdentityCheckRejectionReason },
): EmailMessage => {
  const { why, next } = identityCheckRejectionReasons[input.reason];
  return renderEmail({
    kind: 'identity-check-rejected',
    to: input.to,
    serviceName: input.serviceName,
    subject: identityCheckSubject,
    blocks: [
      paragraph('We have checked your photo ID and video, but we could not confirm who you are.'),
      paragraph(why),
      paragraph(`What you can do: ${next} Then log in and prove who you are again.`),
      paragraph('If you need help, contact us.'),
      link('Contact us', input.contactLink),
    ],
  });
};

export const identityCheckMoreNeededMessage = (
  input: EmailAddressee & { readonly needed: 'photo' | 'video'; readonly startLink: string },
): EmailMessage =>
  renderEmail({
    kind: 'identity-check-more-needed',
    to: input.to,
    serviceName: input.serviceName,
    subject: identityCheckSubject,
    blocks: [
      paragraph(
        input.needed === 'photo'
          ? 'We need a new photo of your ID to finish checking who you are.'
          : 'We need a new video of you to finish checking who you are.',
      ),
      paragraph(`Log in to your ${input.serviceName} and send it. You will not need to send the rest again.`),
      link('Prove who you are', input.startLink),
    ],
  });

export const identityCheckDelayedMessage = (input: EmailAddressee): EmailMessage =>
  renderEmail({
    kind: 'identity-check-delayed',
    to: input.to,
    serviceName: input.serviceName,
    subject: identityCheckSubject,
    blocks: [
      paragraph('Checking your photo ID and video is taking longer than usual.'),
      paragraph('You do not need to do anything. We will email you when we have checked them.'),
    ],
  });

/** A passkey was set up on the account (seed 004), with what to do if it was not the patient. */
export const passkeyAddedMessage = (
  input: EmailAddressee & ContactLink & { readonly passkeyName: string; readonly settingsLink: string },
): EmailMessage =>
  renderEmail({
    kind: 'passkey-added',
    to: input.to,
    serviceName: input.serviceName,
    subject: `A passkey was added to your ${input.serviceName} account`,
    blocks: [
      paragraph(`A passkey (${input.passkeyName}) was added to your ${input.serviceName} account.`),
      paragraph('You can now use it to log in without your password or a security code.'),
      paragraph('If you added it, you do not need to do anything.'),
      paragraph(
        'If you did not add it, remove it in your login and security settings, change your password, and contact us.',
      ),
      link('Your login and security settings', input.settingsLink),
      link('Contact us', input.contactLink),
    ],
  });

/** A passkey was removed from the account; it also has to be removed from the device's settings. */
export const passkeyRemovedMessage = (
  input: EmailAddressee & ContactLink & { readonly passkeyName: string },
): EmailMessage =>
  renderEmail({
    kind: 'passkey-removed',
    to: input.to,
    serviceName: input.serviceName,
    subject: `A passkey was removed from your ${input.serviceName} account`,
    blocks: [
      paragraph(
        `A passkey (${input.passkeyName}) was removed from your ${input.serviceName} account. It can no longer be used to log in.`,
      ),
      paragraph(
        'To remove it from your device too, go to the passkeys in your device or password manager settings.',
      ),
      paragraph('If you did not remove it, contact us.'),
      link('Contact us', input.contactLink),
    ],
  });

/** An authenticator app was set up as the account's second factor. */
export const authenticatorAppAddedMessage = (input: EmailAddressee & ContactLink): EmailMessage =>
  renderEmail({
    kind: 'authenticator-app-added',
    to: input.to,
    serviceName: input.serviceName,
    subject: `An authenticator app was set up for your ${input.serviceName} account`,
    blocks: [
      paragraph(
        `An authenticator app was set up for your ${input.serviceName} account. We will ask for its code when you log in, instead of texting you a security code.`,
      ),
      paragraph('If you set it up, you do not need to do anything. Keep your recovery codes somewhere safe.'),
      paragraph('If you did not set it up, change your password and contact us.'),
      link('Contact us', input.contactLink),
    ],
  });

/** The authenticator app was removed: texted codes are the second factor again. */
export const authenticatorAppRemovedMessage = (input: EmailAddressee & ContactLink): EmailMessage =>
  renderEmail({
    kind: 'authenticator-app-removed',
    to: input.to,
    serviceName: input.serviceName,
    subject: `The authenticator app was removed from your ${input.serviceName} account`,
    blocks: [
      paragraph(
        `The authenticator app was removed from your ${input.serviceName} account. Its codes and recovery codes no longer work; we will text you a security code when you log in.`,
      ),
      paragraph('If you did not remove it, change your password and contact us.'),
      link('Contact us', input.contactLink),
    ],
  });

/** Every email kind with its template: the compiler refuses a kind without one. */
export const emailTemplates = {
  'confirm-email': confirmEmailMessage,
  'already-registered': alreadyRegisteredMessage,
  'unlock-account': unlockAccountMessage,
  'unlock-no-account': unlockNoAccountMessage,
  'email-change-requested': emailChangeRequestedMessage,
  'security-code': securityCodeEmailMessage,
  'reset-password': resetPasswordMessage,
  'reset-no-account': resetNoAccountMessage,
  'password-changed': passwordChangedMessage,
  'confirm-new-email': confirmNewEmailMessage,
  'email-changed': emailChangedMessage,
  'phone-changed': phoneChangedMessage,
  'account-deleted': accountDeletedMessage,
  'account-replaced': accountReplacedMessage,
  'identity-moved': identityMovedMessage,
  'identity-check-approved': identityCheckApprovedMessage,
  'identity-check-rejected': identityCheckRejectedMessage,
  'identity-check-more-needed': identityCheckMoreNeededMessage,
  'identity-check-delayed': identityCheckDelayedMessage,
  'passkey-added': passkeyAddedMessage,
  'passkey-removed': passkeyRemovedMessage,
  'authenticator-app-added': authenticatorAppAddedMessage,
  'authenticator-app-removed': authenticatorAppRemovedMessage,
} as const satisfies Record<EmailKind, (input: never) => EmailMessage>;
