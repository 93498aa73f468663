// Builds a run's config from its sources, later ones winning: defaults < --preset < config file <
// --alpha/--lambda flags.
import { readFile } from 'node:fs/promises';
import { applyPreset, findPreset } from '../core/presets.js';
import { UsageError } from './options.js';

/** Reads and parses a JSON config file; UsageError when it cannot be read or parsed. */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** The config file (or {}) with the preset beneath it. */
export async function loadConfig(path: string | undefined, presetName: string | undefined): Promise<Record<string, unknown>> {
  const config = path ? await readConfigFile(path) : {};
  if (!presetName) return config;
  try {
    return applyPreset(findPreset(presetName), config);
  } catch (error) {
    throw new UsageError(`--preset: ${(error as Error).message}`);
  }
}
