/**
 * @switchyard/esl — FreeSWITCH Event Socket: a pure byte-level codec, FreeSWITCH URL codec,
 * command/message encoders, and (socket adapters) the inbound client and outbound server.
 *
 * @example
 * import { EslFrameParser, urlDecode } from '@switchyard/esl';
 */
export * from './codec/command-encoder.ts';
export * from './codec/frame.ts';
export * from './codec/frame-parser.ts';
export * from './codec/header-block.ts';
export * from './codec/message-encoder.ts';
export * from './codec/url-codec.ts';
export * from './connection/errors.ts';
export * from './connection/esl-connection.ts';
export type { CommandOptions } from './connection/reply-queue.ts';
export * from './event/esl-event.ts';
export * from './event/event-names.ts';
export * from './inbound/inbound-client.ts';
export * from './outbound/outbound-connection.ts';
export * from './outbound/outbound-server.ts';
