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
