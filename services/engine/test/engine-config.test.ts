import { ConfigError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { loadEngineConfig } from '../src/config/engine-config.ts';

describe('engine config', () => {
  it('refuses the well-known ESL password outside dev mode, naming the variable', () => {
    expect(() => loadEngineConfig({})).toThrow(ConfigError);
    expect(() => loadEngineConfig({})).toThrow(/ESL_PASSWORD: the well-known default ClueCon is refused/);
    expect(() => loadEngineConfig({ ESL_PASSWORD: 'ClueCon', SWITCHYARD_DEV: '0' })).toThrow(/ESL_PASSWORD/);
  });

  it('takes ClueCon in dev mode and any other password anywhere', () => {
    expect(loadEngineConfig({ SWITCHYARD_DEV: '1' }).ESL_PASSWORD).toBe('ClueCon');
    expect(loadEngineConfig({ SWITCHYARD_DEV: 'true' }).ESL_PASSWORD).toBe('ClueCon');
    const prod = loadEngineConfig({ ESL_PASSWORD: 'n0t-the-default', NODE_ENV: 'production' });
    expect(prod.ESL_PASSWORD).toBe('n0t-the-default');
    expect(prod.SWITCHYARD_DEV).toBe(false);
  });
});
