// `ecs-sim presets`: the named tissue states and their sources.
import { PRESETS } from '../core/presets.js';
import { parseCommand, UsageError } from './options.js';

export const PRESETS_USAGE = `usage: ecs-sim presets
  Lists the named tissue states (α, λ and the paper each comes from); use one with --preset NAME.`;

export function presetsCommand(args: string[]): number {
  const line = parseCommand(args, {});
  if (line.flag('help')) {
    console.log(PRESETS_USAGE);
    return 0;
  }
  if (line.positionals.length > 0) throw new UsageError(`presets takes no arguments, got "${line.positionals[0]}"`);
  console.log('name                   α      λ      tissue state (source)');
  for (const preset of PRESETS) {
    const { alpha, lambda } = preset.config.tissue;
    console.log(`${preset.name.padEnd(22)} ${String(alpha).padEnd(6)} ${String(lambda).padEnd(6)} ${preset.description} (${preset.source})`);
  }
  console.log('\nUse one with --preset NAME; a config file and --alpha/--lambda override its values.');
  return 0;
}
