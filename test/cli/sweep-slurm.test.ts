// The README's Slurm job-array recipe, run for real on a single-node Slurm started here: the recipe
// as written (its #SBATCH lines and command; only `npx ecs-sim` is the built command line and
// config.json a small config), submitted with sbatch --wait, its parts merged, and the table
// compared with the same sweep on one machine. Where Slurm is missing and the machine can install
// it (root with apt-get: Debian's slurm-wlm and munge) the test installs it; elsewhere it is skipped
// and says why. Every daemon it starts is stopped at the end.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ecsSim, scratchDirectory } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Installs Slurm where it is missing and can be installed; the reason it cannot run, or null. */
function slurmUnavailable(): string | null {
  if (has('sbatch') && has('slurmctld') && has('slurmd') && has('munged')) return null;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !has('apt-get')) {
    return 'Slurm is not installed and cannot be installed here (needs root and apt-get): apt-get install slurm-wlm munge';
  }
  process.stderr.write('Slurm recipe test: installing Debian\'s slurm-wlm and munge with apt-get (once) …\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (args: string[]) => spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  if (!install(['update', '-qq']) || !install(['install', '-y', '-qq', 'slurm-wlm', 'munge'])) return 'apt-get could not install slurm-wlm and munge';
  return null;
}

const unavailable = slurmUnavailable();
if (unavailable) console.warn(`skipping the Slurm recipe test: ${unavailable}`);

/** The README's job script, with the built command line and a config in the given folder. */
function recipe(config: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const script = /```sh\n(#!\/bin\/bash\n#SBATCH[\s\S]*?)```/.exec(readme)?.[1];
  if (!script) throw new Error('the README has no Slurm job script (a sh block starting #!/bin/bash and #SBATCH)');
  return script.replaceAll('npx ecs-sim', `"${process.execPath}" "${CLI}"`).replace(' config.json ', ` ${config} `);
}

/** The sweep command of the recipe without its Slurm parts: the same combinations on one machine. */
function sweepArguments(script: string): string[] {
  const command = script.split('\n').filter((line) => !line.startsWith('#')).join(' ').replace(/\\\s+/g, ' ');
  const alpha = /--alpha (\S+)/.exec(command)![1], lambda = /--lambda (\S+)/.exec(command)![1];
  return ['--alpha', alpha, '--lambda', lambda];
}

let folder: string;
const daemons: ChildProcess[] = [];
let env: NodeJS.ProcessEnv;

async function until(condition: () => boolean, what: string, timeout_ms = 60_000): Promise<void> {
  const end = Date.now() + timeout_ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(unavailable !== null)('the README Slurm recipe on a single-node Slurm', () => {
  beforeAll(async () => {
    folder = scratchDirectory();
    const state = join(folder, 'slurm');
    mkdirSync(join(state, 'spool'), { recursive: true });
    const host = hostname().split('.')[0];
    // One node with 16 CPUs in the configuration (config_overrides: more than the machine has), so
    // that the recipe's --cpus-per-task=4 runs as written, four array tasks at a time.
    writeFileSync(join(state, 'slurm.conf'), [
      'ClusterName=ecs-sim-test', `SlurmctldHost=${host}(127.0.0.1)`, 'SlurmUser=root', 'SlurmdUser=root',
      'AuthType=auth/munge', 'MpiDefault=none', 'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none', 'AccountingStorageType=accounting_storage/none',
      'SelectType=select/cons_tres', 'SelectTypeParameters=CR_CPU', 'SchedulerType=sched/backfill', 'ReturnToService=2',
      'SlurmdParameters=config_overrides', `StateSaveLocation=${state}`, `SlurmdSpoolDir=${join(state, 'spool')}`,
      `SlurmctldPidFile=${join(state, 'slurmctld.pid')}`, `SlurmdPidFile=${join(state, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(state, 'slurmctld.log')}`, `SlurmdLogFile=${join(state, 'slurmd.log')}`,
      'SlurmctldPort=46817', 'SlurmdPort=46818',
      'NodeName=ecs-node NodeAddr=127.0.0.1 CPUs=16 RealMemory=4000 State=UNKNOWN',
      'PartitionName=test Nodes=ecs-node Default=YES MaxTime=INFINITE State=UP', '',
    ].join('\n'));
    env = { ...process.env, SLURM_CONF: join(state, 'slurm.conf') };
    // munged as its own user, with the key the package made (or a new one).
    if (!existsSync('/etc/munge/munge.key')) execFileSync('mungekey', ['--create'], { stdio: 'ignore' });
    mkdirSync('/run/munge', { recursive: true });
    execFileSync('chown', ['munge:munge', '/run/munge', '/etc/munge/munge.key']);
    const munge = spawn('runuser', ['-u', 'munge', '--', 'munged', '--foreground'], { stdio: 'ignore' });
    daemons.push(munge);
    await until(() => spawnSync('munge', ['-n'], { stdio: 'ignore' }).status === 0, 'munged');
    daemons.push(spawn('slurmctld', ['-D', '-i'], { env, stdio: 'ignore' }));
    daemons.push(spawn('slurmd', ['-D', '-N', 'ecs-node'], { env, stdio: 'ignore' }));
    await until(() => /idle/.test(spawnSync('sinfo', ['-h', '-n', 'ecs-node', '-o', '%T'], { env, encoding: 'utf8' }).stdout ?? ''),
      'the node to be idle (sinfo)');
  }, 180_000);

  afterAll(async () => {
    for (const daemon of daemons.reverse()) daemon.kill('SIGTERM');
    await Promise.all(daemons.map((daemon) => (daemon.exitCode !== null ? null : new Promise((resolve) => daemon.once('exit', resolve)))));
  });

  it('runs the job array with sbatch --wait, and the merged parts equal the same sweep on one machine', async () => {
    const config = join(folder, 'config.json');
    writeFileSync(config, JSON.stringify({ grid: { size: [12, 12, 12], spacing_um: 10 }, duration_ms: 200,
      probes: [{ name: 'r20', position_um: [80, 60, 60] }] }));
    const script = recipe(config);
    expect(script).toContain('#SBATCH --array=1-16');
    writeFileSync(join(folder, 'job.sh'), script);
    const started = Date.now();
    const submitted = spawnSync('sbatch', ['--wait', `--chdir=${folder}`, `--output=${join(folder, 'slurm-%A_%a.out')}`, join(folder, 'job.sh')],
      { env, encoding: 'utf8', timeout: 600_000 });
    expect(submitted.status, `${submitted.stdout}${submitted.stderr}`).toBe(0);
    const parts = readdirSync(folder).filter((file) => /^part-\d+\.csv$/.test(file));
    expect(parts).toHaveLength(16);
    const merged = await ecsSim('merge', ...parts.map((part) => join(folder, part)), '--out', join(folder, 'table.csv'));
    expect(merged.code, merged.stderr).toBe(0);
    const single = join(folder, 'single.csv');
    const alone = await ecsSim('sweep', config, ...sweepArguments(script), '--out', single);
    expect(alone.code, alone.stderr).toBe(0);
    const table = readFileSync(join(folder, 'table.csv'), 'utf8');
    expect(table.trim().split('\n')).toHaveLength(1 + 8 * 9);
    expect(table).toBe(readFileSync(single, 'utf8'));
    console.log(`Slurm recipe: 16 array tasks, ${parts.length} parts, 72 rows merged in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }, 900_000);
});
