import { Metrics } from '@aws-lambda-powertools/metrics';
import { EmfMetrics, type ServiceMetrics } from './metrics.ts';

/**
 * A function's metrics in Lambda: Powertools' Metrics writing CloudWatch's embedded metric format
 * to the function's log, in the namespace its environment names (`POWERTOOLS_METRICS_NAMESPACE`,
 * `patient-login/<stage>`, set by the stack), with the dimension `service` = `patient-login`.
 */
export const createLambdaMetrics = (): ServiceMetrics =>
  new EmfMetrics(new Metrics({ serviceName: 'patient-login' }));
