/** What run.ts hands every benchmark: the mode, a logger, and places for rows and notes. */
import type { Row } from './report.js';

export interface BenchContext {
  quick: boolean;
  log(message: string): void;
  rows: Row[];
  notes: string[];
  /** Raw figures for latest.json, by suite. */
  details: Record<string, unknown>;
}
