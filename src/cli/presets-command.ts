// `ecs-sim presets`: the named tissue states and their sources.
import { PRESETS } from '../core/presets.js';

export function presetsCommand(): number {
  console.log('name                   α      λ      tissue state (source)');
  for (const preset of PRESETS) {
    const { alpha, lambda } = preset.config.tissue;
    console.log(`${preset.name.padEnd(22)} ${String(alpha).padEnd(6)} ${String(lambda).padEnd(6)} ${preset.description} (${preset.source})`);
  }
  console.log('\nUse one with --preset NAME; a config file and --alpha/--lambda override its values.');
  return 0;
}
