import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger };

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

/** The structured JSON logger every handler gets through its dependencies (never a module global). */
export const createLogger = (logLevel: LogLevel = 'INFO'): Logger =>
  new Logger({ serviceName: 'patient-login', logLevel });
