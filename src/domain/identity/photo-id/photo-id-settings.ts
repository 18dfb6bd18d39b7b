import { defaultPhotoIdWorkflowSettings, type PhotoIdWorkflowSettings } from './photo-id-workflow.ts';
import { checkStaffedHours, defaultStaffedHours, type StaffedHours } from './review-deadline.ts';

/** A stage's photo-ID check settings: the staffed hours the deadline counts, and the workflow's. */
export interface PhotoIdSettings extends PhotoIdWorkflowSettings {
  readonly staffedHours: StaffedHours;
}

export const defaultPhotoIdSettings: PhotoIdSettings = {
  ...defaultPhotoIdWorkflowSettings,
  staffedHours: defaultStaffedHours,
};

export type PhotoIdSettingOverrides = Partial<Omit<PhotoIdSettings, 'staffedHours'>> & {
  readonly staffedHours?: Partial<StaffedHours>;
};

const wholeNumber = (value: unknown, name: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
};

/** The defaults with a stage's overrides, checked: anything unknown or out of range is refused, never ignored. */
export const resolvePhotoIdSettings = (overrides: unknown = {}): PhotoIdSettings => {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
    throw new Error('Photo-ID settings must be a JSON object');
  const given = overrides as Record<string, unknown>;
  const known = ['staffedHours', 'escalationRepeatSeconds', 'sendDelayedEmail', 'mediaRetentionDays'];
  const unknown = Object.keys(given).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown photo-ID settings: ${unknown.join(', ')}`);
  const hours = (given.staffedHours ?? {}) as Record<string, unknown>;
  const staffedHours = checkStaffedHours({ ...defaultStaffedHours, ...(hours as Partial<StaffedHours>) });
  if (typeof given.sendDelayedEmail !== 'undefined' && typeof given.sendDelayedEmail !== 'boolean')
    throw new Error('sendDelayedEmail must be true or false');
  return {
    staffedHours,
    escalationRepeatSeconds: wholeNumber(
      given.escalationRepeatSeconds ?? defaultPhotoIdSettings.escalationRepeatSeconds,
      'escalationRepeatSeconds',
      60,
      86_400,
    ),
    sendDelayedEmail:
      (given.sendDelayedEmail as boolean | undefined) ?? defaultPhotoIdSettings.sendDelayedEmail,
    mediaRetentionDays: wholeNumber(
      given.mediaRetentionDays ?? defaultPhotoIdSettings.mediaRetentionDays,
      'mediaRetentionDays',
      0,
      14,
    ),
  };
};
