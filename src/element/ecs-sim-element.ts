// <ecs-sim>: a live K⁺ simulation as one self-contained custom element. Its attributes (and the
// properties of the same names) describe the simulation the way the web page's panel does; it runs
// the simulation in its own worker and draws it with its own WebGL context, both started only when
// the element first becomes visible and both freed when it leaves the document. It pauses while
// scrolled out of view. Several can live on one page.
//
// Events (CustomEvent, on the element, not bubbling):
//   ready  detail { config, dt_ms, kernelPath }       a simulation was built (after start or a change)
//   step   detail { time_ms, steps, stepsPerSecond }  at display rate while it runs
//   probe  detail { names, time_ms[], values_mM[][], timeError_mM[][] | null }
//                                                    the probe samples since the last probe event
//                                                    (timeError_mM with the time-error flag)
//   error  detail { message, issues }                 a bad attribute, a refused config or a failed run
import { resolveConfig, type ResolvedConfig } from '../core/config.js';
import { ConfigError, type ConfigIssue } from '../core/config-error.js';
import { formatError, printable } from '../core/format.js';
import { ColourBar } from '../app/colour-bar.js';
import { defaultProbes } from '../app/page-state.js';
import { AdaptiveResolution } from '../render/adaptive-resolution.js';
import { EcsViewer } from '../render/ecs-viewer.js';
import type { PageProbe, ReadyMessage, Snapshot } from '../worker/protocol.js';
import { SimulationClient } from '../worker/simulation-client.js';
import {
  attributeOfConfigField, CONFIG_ATTRIBUTE, configFromSettings, ELEMENT_ATTRIBUTES, ELEMENT_FLAGS, readAttributes, type ElementSettings,
} from './element-attributes.js';
import { elementStyleSheet } from './element-styles.js';

export interface EcsSimReadyDetail { config: ResolvedConfig; dt_ms: number; kernelPath: string }
export interface EcsSimStepDetail { time_ms: number; steps: number; stepsPerSecond: number }
/** Probe samples; timeError_mM (same shape as values_mM) is the estimated time error with the time-error flag, else null. */
export interface EcsSimProbeDetail { names: string[]; time_ms: number[]; values_mM: number[][]; timeError_mM: number[][] | null }
export interface EcsSimErrorDetail { message: string; issues: ConfigIssue[] }

/** The element's events, for typed addEventListener. */
export interface EcsSimElementEventMap extends Omit<HTMLElementEventMap, 'error'> {
  ready: CustomEvent<EcsSimReadyDetail>;
  step: CustomEvent<EcsSimStepDetail>;
  probe: CustomEvent<EcsSimProbeDetail>;
  error: CustomEvent<EcsSimErrorDetail>;
}

/** Where the element is in its life: waiting to be seen, running (worker and WebGL up), or removed. */
type Phase = 'waiting' | 'running' | 'stopped';

/** The value attributes as typed properties (see ELEMENT_ATTRIBUTES): reading parses, writing sets the attribute. */
export interface EcsSimElement {
  preset: string | null;
  alpha: number; lambda: number; D_um2_per_ms: number; baseline_mM: number; inside_mM: number;
  release: 'bolus' | 'iontophoresis' | 'region'; amount_pmol: number; period_ms: number; current_nA: number;
  transport_number: number; duration_ms: number; rate_mM_per_ms: number; radius_um: number;
  position: [number, number, number]; k_ecs_per_ms: number; k_tissue_per_ms: number; pump_vmax_mM_per_ms: number;
  glia_S_per_m3: number; region: 'none' | 'sphere' | 'layer'; region_alpha: number; region_lambda: number;
  region_size_um: number; boundary: 'dirichlet' | 'neumann'; grid_n: number; spacing_um: number;
  colormap: 'viridis' | 'inferno' | 'magma' | 'cividis'; window_mM: [number, number]; opacity: number; speed: number | 'max';
  autoplay: boolean; controls: boolean; timeError: boolean;
  addEventListener<K extends keyof EcsSimElementEventMap>(type: K, listener: (this: EcsSimElement, event: EcsSimElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof EcsSimElementEventMap>(type: K, listener: (this: EcsSimElement, event: EcsSimElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class EcsSimElement extends HTMLElement {
  static readonly observedAttributes = [
    ...ELEMENT_ATTRIBUTES.map((spec) => spec.attribute), ...ELEMENT_FLAGS.map((flag) => flag.attribute), CONFIG_ATTRIBUTE,
  ];

  private readonly root: ShadowRoot;
  private readonly viewBox = document.createElement('div');
  private readonly statusLine = document.createElement('div');
  private readonly message = document.createElement('div');
  private readonly controlBar = document.createElement('div');
  private readonly playButton = document.createElement('button');
  private readonly colourBar: ColourBar;

  private phase: Phase = 'stopped';
  private client: SimulationClient | null = null;
  private viewer: EcsViewer | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private visibility: IntersectionObserver | null = null;
  private sizing: ResizeObserver | null = null;
  private visible = false;
  private animationFrame = 0;
  private dirty = false;
  /** The drawing size must follow the box or the adaptive scale: done just before the next drawing, so the canvas is never shown cleared. */
  private sizeStale = true;
  private readonly resolution = new AdaptiveResolution();
  private updateQueued = false;

  private configObject: Record<string, unknown> | null = null;
  private settings: ElementSettings;
  /** The config last sent to the worker (JSON), to tell model changes from view changes. */
  private sentConfig = '';
  private running: ResolvedConfig | null = null;
  private probeList: PageProbe[] = [];
  private latestValues: number[] = [];
  private latestTimeErrors: number[] = [];
  private latest: Snapshot | null = null;
  /** Whether the user wants it to run (autoplay, play(), pause()); it runs when also visible and not failed. */
  private wantPlaying = false;
  /** The message of the run's failure (e.g. NaN), or null: a failed run takes no steps until the next rebuild. */
  private failure: string | null = null;
  private errorText: string | null = null;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.adoptedStyleSheets = [elementStyleSheet()];
    this.viewBox.className = 'view';
    this.statusLine.className = 'status';
    this.statusLine.setAttribute('aria-live', 'polite');
    this.message.className = 'message';
    this.message.setAttribute('role', 'alert');
    this.message.hidden = true;
    this.controlBar.className = 'controls';
    this.playButton.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    const reset = document.createElement('button');
    reset.textContent = 'reset';
    reset.title = 'restart at t = 0';
    reset.addEventListener('click', () => this.reset());
    this.controlBar.append(this.playButton, reset);
    const colourBar = document.createElement('div');
    this.colourBar = new ColourBar(colourBar);
    this.root.append(this.viewBox, colourBar, this.statusLine, this.controlBar, this.message);
    this.settings = this.readSettings();
  }

  // ---- public API -------------------------------------------------------------------------------

  /** A full config instead of the model attributes; preset, alpha and lambda still apply. null: none. */
  get config(): Record<string, unknown> | null {
    return this.configObject;
  }
  set config(value: Record<string, unknown> | null) {
    this.configObject = value;
    this.scheduleUpdate();
  }

  /** The validated config of the running simulation (units in the keys), or null before the first 'ready'. */
  get resolvedConfig(): ResolvedConfig | null {
    return this.running;
  }

  /** Simulated time of the last frame (ms). */
  get time_ms(): number {
    return this.latest?.time_ms ?? 0;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.latest?.steps ?? 0;
  }

  /**
   * Whether the simulation runs (or will run once visible): after play() or with autoplay, until
   * pause(). False after a failed run (error event) until a rebuild (an attribute change or reset()),
   * which then runs if play() or autoplay asked for it.
   */
  get playing(): boolean {
    return this.wantPlaying && this.failure === null;
  }

  /** The probes shown: name and position (µm). */
  get probes(): PageProbe[] {
    return this.probeList.map((probe) => ({ ...probe, position_um: [...probe.position_um] }));
  }

  /** [K⁺]o (mM) at each probe at the last frame. */
  get probeValues_mM(): number[] {
    return [...this.latestValues];
  }

  /** The estimated time error (mM) of each probeValues_mM with the time-error flag; NaN without it. */
  get probeTimeErrors_mM(): number[] {
    return [...this.latestTimeErrors];
  }

  /** The message shown for the last problem, or null. */
  get error(): string | null {
    return this.errorText;
  }

  /** Runs the simulation (once visible); after a failed run, only once a rebuild has replaced it. */
  play(): void {
    this.wantPlaying = true;
    if (this.phase === 'running' && this.visible && this.failure === null) this.client?.send({ type: 'play' });
    this.showControls();
  }

  /** Stops stepping; the simulation stays at its time until play(). */
  pause(): void {
    this.wantPlaying = false;
    this.client?.send({ type: 'pause' });
    this.showControls();
  }

  /** Advances count steps now (paused or not). */
  step(count = 1): void {
    this.client?.send({ type: 'step', count });
  }

  /** Restarts the simulation at t = 0 with the current attributes. */
  reset(): void {
    this.sentConfig = '';
    this.update();
  }

  // ---- custom element lifecycle -----------------------------------------------------------------

  connectedCallback(): void {
    this.phase = 'waiting';
    this.wantPlaying = this.hasAttribute('autoplay');
    this.update();
    this.visibility = new IntersectionObserver((entries) => this.visibilityChanged(entries[entries.length - 1].isIntersecting));
    this.visibility.observe(this);
    this.sizing = new ResizeObserver(() => {
      this.sizeStale = true;
      this.dirty = true;
    });
    this.sizing.observe(this);
  }

  disconnectedCallback(): void {
    this.phase = 'stopped';
    this.visibility?.disconnect();
    this.sizing?.disconnect();
    this.visibility = this.sizing = null;
    this.visible = false;
    cancelAnimationFrame(this.animationFrame);
    this.animationFrame = 0;
    this.client?.terminate();
    this.client = null;
    this.viewer?.dispose();
    this.viewer = null;
    this.canvas?.remove();
    this.canvas = null;
    this.sentConfig = '';
    this.latest = null;
    // Added again, it builds a new run in a new worker.
    this.failure = null;
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (previous === next || this.phase === 'stopped') return;
    if (name === 'autoplay') {
      if (next === null) this.pause(); else this.play();
      return;
    }
    this.scheduleUpdate();
  }

  // ---- internals --------------------------------------------------------------------------------

  private readSettings(): ElementSettings {
    return readAttributes((attribute) => this.getAttribute(attribute), this.configObject);
  }

  /** Attribute changes in one task are applied once. */
  private scheduleUpdate(): void {
    if (this.updateQueued || this.phase === 'stopped') return;
    this.updateQueued = true;
    queueMicrotask(() => {
      this.updateQueued = false;
      this.update();
    });
  }

  /** Reads and validates the attributes; shows problems (the running simulation goes on); applies what is valid. */
  private update(): void {
    if (this.phase === 'stopped') return;
    const settings = this.readSettings();
    const config = configFromSettings(settings, (attribute) => this.hasAttribute(attribute));
    const issues = [...settings.issues, ...this.configIssues(config, settings.config !== null)];
    if (issues.length) {
      this.fail(issues.map((issue) => issue.message).join('\n'), issues);
      return;
    }
    this.settings = settings;
    // A failed run's message stays until a rebuild replaces the run.
    if (this.failure === null) this.clearError();
    else this.showMessage(this.failure);
    this.showControls();
    this.applyView();
    if (this.phase !== 'running') return;
    const timeError = this.hasAttribute('time-error');
    const json = JSON.stringify({ config, timeError });
    if (json === this.sentConfig) return;
    this.sentConfig = json;
    this.statusLine.textContent = 'building the simulation…';
    this.client!.send({ type: 'start', config, timeError });
    // Said after every start: the worker keeps the last of these, and a failed run had stopped it.
    this.client!.send({ type: this.wantPlaying && this.visible ? 'play' : 'pause' });
  }

  /** resolveConfig's problems, each prefixed with the attribute it comes from. */
  private configIssues(config: Record<string, unknown>, fromConfigAttribute: boolean): ConfigIssue[] {
    try {
      resolveConfig(config);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.issues.map((issue) => {
        const attribute = fromConfigAttribute ? null : attributeOfConfigField(issue.field);
        const written = attribute ? this.getAttribute(attribute) : null;
        return { ...issue, message: written !== null ? `${attribute}="${printable(written, 120)}": ${issue.message}` : issue.message };
      });
    }
  }

  private visibilityChanged(visible: boolean): void {
    this.visible = visible;
    if (visible && this.phase === 'waiting') this.start();
    else if (this.phase === 'running') this.client!.send({ type: visible && this.playing ? 'play' : 'pause' });
  }

  /** Creates the WebGL view and the worker (first time visible). */
  private start(): void {
    const canvas = document.createElement('canvas');
    canvas.className = 'gl';
    this.viewBox.append(canvas);
    try {
      this.viewer = new EcsViewer(canvas, { background: '#111318' });
    } catch (error) {
      canvas.remove();
      this.phase = 'stopped';
      this.fail(`WebGL is not available here, so the simulation cannot be shown (${(error as Error).message}).`, []);
      return;
    }
    this.canvas = canvas;
    try {
      this.client = new SimulationClient({
        ready: (message) => this.simulationReady(message),
        snapshot: (snapshot) => this.receive(snapshot),
        error: (message, issues, stopped) => {
          if (stopped) this.failure = message;
          this.fail(message, issues);
          this.showControls();
        },
      });
    } catch (error) {
      // Typically ecs-sim.js loaded from another origin (a CDN): browsers start a worker only from
      // the page's own origin. The one-file build makes its worker from a blob and works anywhere.
      this.viewer.dispose();
      this.viewer = null;
      canvas.remove();
      this.canvas = null;
      this.phase = 'stopped';
      this.fail(`The simulation worker could not start (${(error as Error).message}). ecs-sim.js starts its worker from ` +
        'its own folder, which browsers allow only on the page\'s own origin: serve ecs-sim.js from your site, ' +
        'or load ecs-sim.single.js (worker and kernel inside), which works from any origin.', []);
      return;
    }
    this.phase = 'running';
    this.sizeStale = true;
    this.applyView();
    this.sentConfig = '';
    this.update();
    this.animationFrame = requestAnimationFrame(this.frame);
  }

  private simulationReady(message: ReadyMessage): void {
    this.running = message.config;
    if (this.failure !== null) {
      this.failure = null;
      this.clearError();
      this.showControls();
    }
    this.probeList = message.probes.length ? message.probes : defaultProbes(message.config);
    if (!message.probes.length) this.client!.send({ type: 'probes', probes: this.probeList });
    this.latestValues = this.probeList.map(() => NaN);
    this.latestTimeErrors = this.probeList.map(() => NaN);
    this.viewer!.setScene({
      size: message.config.grid.size, spacing_um: message.config.grid.spacing_um,
      regions: message.config.tissue.regions, probes: this.probeList,
    });
    this.applyView();
    this.emit<EcsSimReadyDetail>('ready', { config: message.config, dt_ms: message.dt_ms, kernelPath: message.kernelPath });
  }

  private receive(snapshot: Snapshot): void {
    if (!this.running || snapshot.field.length !== this.running.grid.size.reduce((a, b) => a * b)) return;
    this.latest = snapshot;
    this.viewer!.updateField(snapshot.field);
    this.dirty = true;
    const { time_ms, values_mM, coarse_mM } = snapshot.samples;
    const timeError_mM = coarse_mM && values_mM.map((values, index) => values.map((value, k) => Math.abs(value - coarse_mM[index][k]) / 3));
    values_mM.forEach((values, index) => {
      if (!values.length) return;
      this.latestValues[index] = values[values.length - 1];
      this.latestTimeErrors[index] = timeError_mM ? timeError_mM[index][values.length - 1] : NaN;
    });
    this.statusLine.textContent = this.describe(snapshot);
    this.emit<EcsSimStepDetail>('step', { time_ms: snapshot.time_ms, steps: snapshot.steps, stepsPerSecond: snapshot.stepsPerSecond });
    if (time_ms.length) {
      this.emit<EcsSimProbeDetail>('probe', { names: this.probeList.map((probe) => probe.name), time_ms, values_mM, timeError_mM });
    }
  }

  private describe(snapshot: Snapshot): string {
    const { alpha, lambda } = this.running!.tissue;
    const probes = this.probeList.map((probe, index) => {
      const error = this.latestTimeErrors[index];
      return `${probe.name} ${this.latestValues[index]?.toFixed(2)}${Number.isFinite(error) ? ` ±${formatError(error)}` : ''} mM`;
    }).join(', ');
    return `t = ${(snapshot.time_ms / 1000).toFixed(2)} s · α ${alpha} · λ ${lambda}${probes ? ' · [K⁺]o ' + probes : ''}` +
      `${this.failure !== null ? ' · stopped' : this.wantPlaying ? '' : ' · paused'}`;
  }

  private readonly frame = (): void => {
    if (this.phase !== 'running') return;
    if (this.dirty && this.visible) {
      this.dirty = false;
      if (this.sizeStale) this.resize();
      this.viewer!.render();
      if (this.resolution.frameDrawn()) this.sizeStale = true;
    }
    this.animationFrame = requestAnimationFrame(this.frame);
  };

  private resize(): void {
    this.sizeStale = false;
    const box = this.viewBox.getBoundingClientRect();
    const scale = this.resolution.scale;
    this.viewer!.resize(Math.max(1, Math.floor(box.width * scale)), Math.max(1, Math.floor(box.height * scale)));
  }

  private applyView(): void {
    const view = this.settings.view;
    const [low, high] = view.window_mM;
    this.colourBar.update(view.colormap, low, high, 'mM', '[K⁺]o − baseline');
    if (!this.viewer) return;
    this.viewer.setWindow(low, high);
    this.viewer.setColormap(view.colormap);
    this.viewer.setOpacity(view.opacity);
    this.client?.send({ type: 'speed', speed: view.speed });
    this.dirty = true;
  }

  private showControls(): void {
    this.controlBar.hidden = !this.hasAttribute('controls');
    this.playButton.textContent = this.playing ? 'pause' : 'play';
  }

  private fail(message: string, issues: ConfigIssue[]): void {
    this.showMessage(message);
    this.emit<EcsSimErrorDetail>('error', { message, issues });
  }

  private showMessage(message: string): void {
    this.errorText = message;
    this.message.textContent = message;
    this.message.hidden = false;
  }

  private clearError(): void {
    this.errorText = null;
    this.message.hidden = true;
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail }));
  }
}

// Each value attribute is also a property of the same name as its key (alpha, lambda, D_um2_per_ms,
// window_mM, …): reading gives the parsed value (the default when absent), writing sets the attribute.
for (const spec of ELEMENT_ATTRIBUTES) {
  Object.defineProperty(EcsSimElement.prototype, spec.property, {
    configurable: true,
    enumerable: true,
    get(this: EcsSimElement) {
      const settings = readAttributes((attribute) => this.getAttribute(attribute));
      if (spec.property === 'preset') return this.getAttribute('preset');
      return (spec.rebuilds ? settings.form : settings.view)[spec.property as keyof object];
    },
    set(this: EcsSimElement, value: unknown) {
      if (value === null || value === undefined) this.removeAttribute(spec.attribute);
      else this.setAttribute(spec.attribute, Array.isArray(value) ? value.join(' ') : String(value));
    },
  });
}
for (const flag of ELEMENT_FLAGS) {
  Object.defineProperty(EcsSimElement.prototype, flag.property, {
    configurable: true,
    enumerable: true,
    get(this: EcsSimElement) { return this.hasAttribute(flag.attribute); },
    set(this: EcsSimElement, value: unknown) { this.toggleAttribute(flag.attribute, Boolean(value)); },
  });
}
