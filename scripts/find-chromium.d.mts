// Types for vitest.config.ts, which is type-checked without allowJs.
export declare const BROWSER_COMMANDS: string[];
export declare function findChromium(options?: {
  env?: Record<string, string | undefined>;
  platform?: string;
  home?: string;
  isExecutable?: (path: string) => boolean;
}): { path: string; problem?: undefined } | { path: null; problem?: string };
export declare function browserSkippedMessage(problem: string | undefined): string;
export declare function browserRequired(env?: Record<string, string | undefined>): boolean;
