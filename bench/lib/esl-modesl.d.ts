/** Minimal typing for modesl (CommonJS, no bundled types): only what bench/esl.ts uses. */
declare module 'modesl' {
  const esl: { Connection: unknown };
  export default esl;
}
