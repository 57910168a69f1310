import type { AllowEntry } from '@switchyard/fleet';

export type { AllowEntry };

/**
 * Edge security behind the API; `@switchyard/fleet`'s AllowList and FloodControl fit
 * `allow` and `flood` as they are.
 */
export interface EdgePort {
  allow: {
    list(): Promise<AllowEntry[]>;
    add(input: { source: string; group?: number; port?: number; tag?: string | null }): Promise<AllowEntry>;
    remove(id: number): Promise<boolean>;
  };
  flood: {
    pikeTop(): Promise<{ ip: string; status: string; hits: number[] }[]>;
    ban(ip: string, seconds: number): Promise<void>;
    unban(ip: string): Promise<boolean>;
    bans(): Promise<{ ip: string }[]>;
  };
}
