/** Errors raised by ESL connections. All carry a stable `code` for callers to branch on. */

/** Base class. */
export class EslError extends Error {
  override readonly name: string = 'EslError';
  constructor(
    readonly code: 'disconnected' | 'not-connected' | 'timeout' | 'busy' | 'aborted' | 'auth' | 'command' | 'hangup' | 'closed',
    message: string,
  ) {
    super(message);
  }
}

/** The connection dropped while the command/job/app was in flight; it was NOT resent. */
export class EslDisconnectedError extends EslError {
  override readonly name = 'EslDisconnectedError';
  constructor(message = 'ESL connection lost; the command may or may not have run and was not resent') {
    super('disconnected', message);
  }
}

/** FreeSWITCH answered `-ERR …`. */
export class EslCommandError extends EslError {
  override readonly name = 'EslCommandError';
  constructor(readonly replyText: string) {
    super('command', `ESL command failed: ${replyText}`);
  }
}

/** The channel hung up before the app completed (unknown apps hang up without completing). */
export class EslChannelHangupError extends EslError {
  override readonly name = 'EslChannelHangupError';
  constructor(
    readonly uuid: string,
    readonly hangupCause: string,
  ) {
    super('hangup', `channel ${uuid} hung up (${hangupCause || 'unknown cause'}) before the app completed`);
  }
}
