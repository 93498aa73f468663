// Builds a run's config from its sources, later ones winning: defaults < --preset < config file <
// --set path=value < --alpha/--lambda flags.
import { readFile } from 'node:fs/promises';
import { ConfigError, resolveConfig, stepBudgetIssue, type ResolvedConfig } from '../core/index.js';
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

/** The config file (or {}) with the preset beneath it and the --set settings over it. */
export async function loadConfig(
  path: string | undefined, presetName: string | undefined, settings: readonly string[] = [],
): Promise<Record<string, unknown>> {
  const file = path ? await readConfigFile(path) : {};
  let config = file;
  if (presetName) {
    try {
      config = applyPreset(findPreset(presetName), file);
    } catch (error) {
      throw new UsageError(`--preset: ${(error as Error).message}`);
    }
  }
  return settings.reduce(withSetting, config);
}

/**
 * The config resolved for a run to duration_ms: resolveConfig's checks plus the glial step limit,
 * so that a run over the step budget is bad input here too (exit code 2), whatever limits it.
 */
export function resolveForRun(config: unknown): ResolvedConfig {
  const resolved = resolveConfig(config);
  const overBudget = stepBudgetIssue(resolved);
  if (overBudget) throw new ConfigError([overBudget]);
  return resolved;
}

/** A name, then .name or [index] parts: "uptake.k_ecs_per_ms", "sources[0].amount_mol". */
const SETTING = /^([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*|\[\d+\])*)=([\s\S]*)$/;
const PART = /\.([A-Za-z_]\w*)|\[(\d+)\]/g;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The config with one "--set path=value" applied (a copy; the input is not changed). The value is
 * JSON when it parses as JSON (numbers, lists, true/false, "quoted"), else the text itself
 * (`dt_ms=auto`). Whether the field exists and the value is allowed is the validation's to say.
 */
export function withSetting(config: Record<string, unknown>, setting: string): Record<string, unknown> {
  const match = SETTING.exec(setting);
  if (!match) throw new UsageError(`--set ${setting}: expected path=value, e.g. --set uptake.k_ecs_per_ms=0.002 or --set sources[0].amount_mol=1e-13`);
  const [, first, rest, text] = match;
  const path: (string | number)[] = [first, ...[...rest.matchAll(PART)].map((part) => (part[1] !== undefined ? part[1] : Number(part[2])))];
  const forbidden = path.find((key) => typeof key === 'string' && FORBIDDEN.has(key));
  if (forbidden !== undefined) throw new UsageError(`--set ${setting}: "${forbidden}" is not a config field`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  const copy = structuredClone(config);
  let node: unknown = copy;
  path.forEach((key, depth) => {
    const where = `--set ${setting}: ${depth === 0 ? 'the config' : pathText(path.slice(0, depth))}`;
    const container = node as Record<string, unknown> & unknown[];
    if (typeof key === 'number' ? !Array.isArray(node) : node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw new UsageError(`${where} is not ${typeof key === 'number' ? 'a list' : 'an object'} in the config`);
    }
    if (typeof key === 'number' && key > container.length) {
      throw new UsageError(`${where} has ${container.length} elements: index ${key} would leave a gap`);
    }
    if (depth === path.length - 1) {
      container[key as never] = value as never;
      return;
    }
    if (container[key as never] === undefined) container[key as never] = (typeof path[depth + 1] === 'number' ? [] : {}) as never;
    node = container[key as never];
  });
  return copy;
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}
