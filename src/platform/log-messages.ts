/**
 * Every log message, with a stable code to search and alarm on. Messages carry no personal data;
 * the attributes logged with them are chosen to carry none either.
 */
export const logMessages = {
  requestCompleted: { messageCode: 'PL_HTTP_REQUEST_COMPLETED', message: 'Request completed' },
  requestRejected: {
    messageCode: 'PL_HTTP_REQUEST_REJECTED',
    message: 'Request rejected with a typed error',
  },
  unexpectedError: {
    messageCode: 'PL_HTTP_UNEXPECTED_ERROR',
    message: 'Request failed with an unexpected error',
  },
} as const;
