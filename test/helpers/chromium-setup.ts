// Global setup of the browser tests (run once, and only when a browser test is queued): finds or
// installs Chromium and hands its path to the test files.
import type { TestProject } from 'vitest/node';
import { ensureChromium, NoChromiumError } from './chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

export function setup(project: TestProject): void {
  try {
    project.provide('chromiumPath', ensureChromium());
  } catch (error) {
    // The one line that says what to do, without a stack trace under it.
    if (error instanceof NoChromiumError) error.stack = error.message;
    throw error;
  }
}
