import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';

export declare const CHROMIUM_CANDIDATES: string[];
export declare function findChromium(): string | undefined;
export declare const HEADLESS_FLAGS: string[];
export declare const ISOLATION_HEADERS: Record<string, string>;
export declare function bundlePage(o: { entry: string; outDir: string; format: 'iife' | 'esm' }): Promise<string>;
export declare function serve(o: ServeOptions): Promise<{ server: Server; url: string }>;
export interface ServeOptions {
  files?: Record<string, string>;
  root?: string;
  headers?: Record<string, string>;
}
export interface ChromiumContext {
  chromiumPath: string;
  cleanup(f: () => unknown): void;
  tempDir(prefix: string): string;
  launch(args?: string[]): Promise<Browser>;
  open(browser: Browser, o: ServeOptions): Promise<{ page: Page; errors: string[] }>;
}
export declare function describeInChromium(name: string, body: (ctx: ChromiumContext) => void): void;
