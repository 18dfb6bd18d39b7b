import type {
  AccountRecovery,
  RecoveryPurpose,
  RecoveryStep,
} from '../../src/domain/accounts/account-recovery.ts';
import type { AccountUnlock } from '../../src/domain/accounts/account-unlock.ts';
import type { PasswordReset } from '../../src/domain/accounts/password-reset.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import type { Passkeys } from '../../src/domain/passkeys/passkeys.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import { type RouteIdOf, urlFor } from '../../src/routes.ts';

export interface RecoveryPagesDependencies {
  readonly recovery: AccountRecovery;
  readonly passwordReset: PasswordReset;
  readonly accountUnlock: AccountUnlock;
  /** For the code page's "Use a passkey instead": a ceremony's options. */
  readonly passkeys: Pick<Passkeys, 'beginLogin'>;
  readonly clock: Clock;
  readonly limits: Limits;
}

/** Some of the recovery routes: what each step's file gives, checked against the route table. */
export type RecoveryRoutes = { readonly [Id in RouteIdOf<'recovery-pages'>]?: RouteDefinition };

/** The paths and words of each recovery journey: an emailed link, the second factor, then the last step. */
export const journeys = {
  'reset-password': {
    ask: urlFor('password-forgotten'),
    link: urlFor('password-reset'),
    code: urlFor('password-reset-code'),
    resend: urlFor('password-reset-code-resend'),
    passkey: urlFor('password-reset-passkey'),
    last: urlFor('password-reset-new'),
    intro: 'Reset your password',
    why: 'To reset your password, we need to check it is you. We will send a security code by text message to the mobile phone number on your account.',
    whyApp:
      'To reset your password, we need to check it is you. We will ask for the code from your authenticator app.',
  },
  'unlock-account': {
    ask: urlFor('unlock'),
    link: urlFor('unlock-confirm'),
    code: urlFor('unlock-code'),
    resend: urlFor('unlock-code-resend'),
    passkey: urlFor('unlock-passkey'),
    last: urlFor('unlock-done'),
    intro: 'Unlock your account',
    why: 'To unlock your account, we need to check it is you. We will send a security code by text message to the mobile phone number on your account.',
    whyApp:
      'To unlock your account, we need to check it is you. We will ask for the code from your authenticator app.',
  },
} as const satisfies Record<RecoveryPurpose, Record<string, string>>;

/** The recovery this browser has open for the purpose; without one, back to its start. */
export const stepOf = (session: BrowserSession, purpose: RecoveryPurpose): RecoveryStep | undefined => {
  const recovery = session.journey.recovery;
  return recovery?.purpose === purpose ? recovery : undefined;
};
