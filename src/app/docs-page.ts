// docs.html: how to embed ecs-sim, with a live element, a live iframe and a live run of the core API.
// The attribute table and the CSP are filled in from the code that defines them, so they cannot drift.
import './docs-page.css';
import { defaultPageState } from './page-state.js';
import { Simulation } from '../core/index.js';
import {
  CONFIG_ATTRIBUTE, ELEMENT_ATTRIBUTES, ELEMENT_CONTENT_SECURITY_POLICY, ELEMENT_FLAGS, SINGLE_FILE_CONTENT_SECURITY_POLICY, type EcsSimElement,
} from '../element/index.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The config of the API example: the live run uses it, and the snippet shows it. */
const API_CONFIG = {
  grid: { size: [48, 48, 48], spacing_um: 4 },
  tissue: { alpha: 0.2, lambda: 1.6 },
  probes: [{ name: 'r30', position_um: [126, 96, 96] }],
  duration_ms: 500,
};

/** The live API example: the lines of API_SNIPPET after its import. */
async function apiExample(): Promise<string> {
  const simulation = await Simulation.create(API_CONFIG);
  simulation.run();
  const [probe] = simulation.metrics().probes;
  return `${probe.name}: peak ${probe.peak_mM.toFixed(3)} mM at ${probe.t_peak_ms.toFixed(1)} ms`;
}

/** A plain value as JavaScript source: { a: 1, b: [2, 3], c: 'x' }. */
function objectLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(objectLiteral).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([key, item]) => `${key}: ${objectLiteral(item)}`).join(', ')} }`;
  return String(value);
}

const API_SNIPPET = `import { Simulation } from 'ecs-sim';   // or from '/ecs-sim/core.js' in a page

const simulation = await Simulation.create({
${Object.entries(API_CONFIG).map(([key, value]) => `  ${key}: ${objectLiteral(value)},`).join('\n')}
});
simulation.run();
const [probe] = simulation.metrics().probes;
console.log(\`\${probe.name}: peak \${probe.peak_mM.toFixed(3)} mM at \${probe.t_peak_ms.toFixed(1)} ms\`);`;

function fillReference(): void {
  const defaults = defaultPageState();
  const valueOf = (property: string, model: boolean): string => {
    const value = (model ? defaults.form : defaults.view)[property as keyof object] as unknown;
    return Array.isArray(value) ? `"${value.join(' ')}"` : value === undefined ? '' : String(value);
  };
  const row = (cells: string[]) => {
    const tr = document.createElement('tr');
    for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
    return tr;
  };
  byId('attribute-table').querySelector('tbody')!.append(
    ...ELEMENT_ATTRIBUTES.map((spec) => row([spec.attribute, spec.property, valueOf(spec.property, spec.rebuilds),
      spec.description, spec.rebuilds ? 'model' : 'view'])),
    ...ELEMENT_FLAGS.map((flag) => row([flag.attribute, flag.property, 'absent', flag.description, flag.rebuilds ? 'model' : 'view'])),
    row([CONFIG_ATTRIBUTE, CONFIG_ATTRIBUTE, 'absent', 'a full config as JSON, instead of the model attributes', 'model']),
  );
}

fillReference();
byId('csp-policy').textContent = `Content-Security-Policy: ${ELEMENT_CONTENT_SECURITY_POLICY}`;
byId('csp-policy-single').textContent = `Content-Security-Policy: ${SINGLE_FILE_CONTENT_SECURITY_POLICY}`;
byId('api-snippet').textContent = API_SNIPPET;
byId('api-run').addEventListener('click', async () => {
  const result = byId('api-result');
  result.textContent = 'running…';
  const started = performance.now();
  try {
    result.textContent = `${await apiExample()} (${((performance.now() - started) / 1000).toFixed(2)} s)`;
  } catch (error) {
    result.textContent = `failed: ${(error as Error).message}`;
  }
});

const element = byId<EcsSimElement>('live-element');
const log = byId('element-log');
byId<HTMLSelectElement>('alpha-choice').addEventListener('change', (event) => {
  element.setAttribute('alpha', (event.target as HTMLSelectElement).value);
});
element.addEventListener('ready', (event) => {
  const { config } = event.detail;
  log.textContent = `ready: α ${config.tissue.alpha}, λ ${config.tissue.lambda}, time tolerance ${config.accuracy.relative_tolerance}`;
});
element.addEventListener('error', (event) => { log.textContent = `error event: ${event.detail.message}`; });
Object.assign(window, { ecsSimDocs: { element, apiExample } });
