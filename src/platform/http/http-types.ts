import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** The event every handler receives: API Gateway HTTP API, payload format 2.0. */
export type HttpEvent = APIGatewayProxyEventV2;

/** What every route returns: always a structured result, never an inferred one. */
export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

export type { Context };
