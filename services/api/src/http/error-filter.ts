import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Logger } from '@switchyard/core';
import type { ServerResponse } from 'node:http';
import { ApiError } from './api-error.ts';
import { mapDomainError } from './domain-errors.ts';

/** Turns anything thrown into the one error shape; unexpected errors are logged and answered 500. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const apiErr = this.toApiError(err);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(apiErr.status, { 'content-type': 'application/json; charset=utf-8', ...apiErr.headers });
    res.end(JSON.stringify(apiErr.toBody()));
  }

  private toApiError(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    const domain = mapDomainError(err);
    if (domain) return domain;
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : `http_${status}`;
      // Body-parser failures (bad JSON) arrive here as 400s.
      return new ApiError(status, status === 400 ? 'bad_request' : code, err.message);
    }
    const status = (err as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new ApiError(status, status === 413 ? 'payload_too_large' : 'bad_request', (err as Error).message);
    }
    this.log.error({ err }, 'unhandled error');
    return new ApiError(500, 'internal', 'internal error');
  }
}
