// The page: wires the parameter panel, the simulation worker, the 3D viewer, the probe read-outs and
// the plot. The worker computes; this thread only draws, so the page stays responsive.
import { resolveConfig, ConfigError, type ResolvedConfig } from '../core/index.js';
import { nernst_mV } from '../core/electrochemistry.js';
import { EcsViewer } from '../render/ecs-viewer.js';
import { AdaptiveResolution } from '../render/adaptive-resolution.js';
import type { PageProbe, PageToWorker, ReadyMessage, Snapshot } from '../worker/protocol.js';
import { SimulationClient } from '../worker/simulation-client.js';
import { ColourBar } from './colour-bar.js';
import { downloadConfig, downloadProbeSeries, downloadScreenshot, probeSeriesCsv } from './exports.js';
import { configFromForm, defaultProbes, exportedConfig, stateFromHash, stateToHash, type PageState } from './page-state.js';
import { ParameterPanel } from './parameter-panel.js';
import { formatError } from '../core/format.js';
import { PROBE_COLOURS, ProbePlot } from './probe-plot.js';
import { ProbeRecorder } from './probe-recorder.js';

/** What the page exposes to tests and to the console as window.ecsSim. */
export interface PageHandle {
  state(): { time_ms: number; steps: number; stepsPerSecond: number; playing: boolean; ready: boolean;
    /** Per probe: the latest value and its estimated time error (mM; NaN with the time error off). */
    probes: { name: string; value_mM: number; timeError_mM: number }[]; config: ResolvedConfig | null; error: string | null;
    frames: number; timeError: boolean;
    /** What the link (URL hash) held that could not be used, one line each; [] for a good link. */
    linkProblems: string[] };
  pause(): void;
  play(): void;
}

export interface PageElements {
  canvas: HTMLCanvasElement;
  panel: HTMLElement;
  readouts: HTMLElement;
  plot: HTMLElement;
  colourBar: HTMLElement;
  status: HTMLElement;
  notice: HTMLElement;
  /** Where the problems of the link the page was opened with are listed (until dismissed). */
  linkNotice: HTMLElement;
}

export class App {
  private readonly state: PageState;
  private readonly worker: SimulationClient;
  private readonly viewer: EcsViewer;
  private readonly panel: ParameterPanel;
  private readonly plot: ProbePlot;
  private readonly colourBar: ColourBar;
  private config: ResolvedConfig | null = null;
  private probes: PageProbe[] = [];
  private recorder = new ProbeRecorder([]);
  private latest: Snapshot | null = null;
  private displayField: Float32Array | null = null;
  /** Whether the user wants the run to go (play/pause); it goes when also not failed. */
  private wantPlaying = true;
  /** The run failed (e.g. NaN): no steps until the next rebuild. */
  private failed = false;
  private ready = false;
  /** Whether the running simulation measures the time error of the probe values. */
  private timeError = false;
  private error: string | null = null;
  private frames = 0;
  private plotDue = 0;
  /** Something visible changed since the last frame; the view is drawn only then (and on camera moves). */
  private dirty = true;
  /** The drawing size must follow the box or the adaptive scale before the next drawing. */
  private sizeStale = true;
  private readonly resolution = new AdaptiveResolution();

  constructor(private readonly elements: PageElements) {
    const { state, problems } = stateFromHash(location.hash);
    this.state = state;
    this.linkProblems = problems;
    this.viewer = new EcsViewer(elements.canvas, { preserveDrawingBuffer: true });
    this.plot = new ProbePlot(elements.plot);
    this.colourBar = new ColourBar(elements.colourBar);
    this.panel = new ParameterPanel(elements.panel, this.state, {
      configChanged: () => this.rebuild(),
      viewChanged: () => this.applyView(),
      playPause: () => (this.playing ? this.handle.pause() : this.handle.play()),
      step: () => this.send({ type: 'step', count: 1 }),
      reset: () => this.rebuild(),
      exportSeries: () => downloadProbeSeries(this.seriesCsv()),
      exportConfig: () => downloadConfig(exportedConfig(this.config ?? configFromForm(this.state.form), this.latest?.time_ms ?? 0, this.probes)),
      screenshot: () => downloadScreenshot(elements.canvas),
      copyLink: () => void navigator.clipboard?.writeText(location.href).then(() => this.notify('Link copied.')),
    });
    this.worker = new SimulationClient({
      ready: (message) => this.simulationReady(message),
      snapshot: (snapshot) => this.receive(snapshot),
      error: (message, issues, stopped) => {
        if (issues.length) this.panel.showIssues(issues);
        if (stopped) {
          this.failed = true;
          this.panel.setPlaying(false);
        }
        this.showError(message);
      },
    });
    elements.canvas.addEventListener('click', (event) => this.addProbeAt(event));
    addEventListener('resize', () => {
      this.sizeStale = true;
      this.dirty = true;
      this.plot.resize();
    });
    this.plot.resize();
    this.applyView();
    this.rebuild();
    this.showLinkProblems();
    requestAnimationFrame(() => this.frame());
  }

  private readonly linkProblems: string[];

  /** Whether the run goes: wanted, and not failed. */
  private get playing(): boolean {
    return this.wantPlaying && !this.failed;
  }

  /** Test and console handle. */
  readonly handle: PageHandle = {
    state: () => ({
      time_ms: this.latest?.time_ms ?? 0, steps: this.latest?.steps ?? 0, stepsPerSecond: this.latest?.stepsPerSecond ?? 0,
      playing: this.playing, ready: this.ready, config: this.config, error: this.error, frames: this.frames,
      timeError: this.timeError, linkProblems: [...this.linkProblems],
      probes: this.probes.map((probe, index) => ({
        name: probe.name, value_mM: this.recorder.latest()[index], timeError_mM: this.recorder.latestTimeError()[index],
      })),
    }),
    pause: () => {
      this.wantPlaying = false;
      this.send({ type: 'pause' });
      this.panel.setPlaying(false);
    },
    play: () => {
      this.wantPlaying = true;
      // A failed run answers with its error again; the button follows what is true.
      this.send({ type: 'play' });
      this.panel.setPlaying(this.playing);
    },
  };

  private send(message: PageToWorker): void {
    this.worker.send(message);
  }

  /** Validates the form's config here (no round trip) and restarts the worker with it. */
  private rebuild(): void {
    const config = configFromForm(this.state.form);
    try {
      resolveConfig(config);
    } catch (error) {
      if (error instanceof ConfigError) {
        this.panel.showIssues(error.issues);
        this.showError('Not applied: ' + error.issues.map((issue) => issue.message).join('; '));
        return;
      }
      throw error;
    }
    this.panel.showIssues([]);
    this.error = null;
    this.elements.notice.hidden = true;
    this.elements.status.textContent = 'building the simulation…';
    this.ready = false;
    this.send({ type: 'start', config, probes: this.state.probes.length ? this.state.probes : undefined, timeError: this.state.view.timeError });
    // Said after every start: the worker keeps the last of these, and a failed run had stopped it.
    this.send({ type: this.wantPlaying ? 'play' : 'pause' });
    this.saveToUrl();
  }

  private simulationReady(message: ReadyMessage): void {
    this.config = message.config;
    this.ready = true;
    this.failed = false;
    this.panel.setPlaying(this.playing);
    this.timeError = message.timeError;
    this.probes = message.probes.length ? message.probes : defaultProbes(message.config);
    if (!message.probes.length) this.send({ type: 'probes', probes: this.probes });
    this.setUpProbes();
    this.viewer.setScene({
      size: message.config.grid.size, spacing_um: message.config.grid.spacing_um,
      regions: message.config.tissue.regions, probes: this.probes,
    });
    this.displayField = null;
    this.applyView();
  }

  private receive(message: Snapshot): void {
    this.latest = message;
    this.recorder.add(message.samples);
    this.uploadField(message.field);
  }

  /** The viewer gets the excess (mM) or E_K (mV) of every voxel. */
  private uploadField(excess_mM: Float32Array): void {
    if (!this.config || excess_mM.length !== this.config.grid.size.reduce((a, b) => a * b)) return;
    if (this.state.view.mode === 'EK') {
      if (!this.displayField || this.displayField.length !== excess_mM.length) this.displayField = new Float32Array(excess_mM.length);
      const { baseline_mM, inside_mM, valence } = this.config.species;
      for (let p = 0; p < excess_mM.length; p++) {
        this.displayField[p] = nernst_mV(excess_mM[p] + baseline_mM, inside_mM, valence, this.config.temperature_C);
      }
      this.viewer.updateField(this.displayField);
    } else {
      this.viewer.updateField(excess_mM);
    }
    this.dirty = true;
  }

  private frame(): void {
    if (this.dirty) {
      this.dirty = false;
      if (this.sizeStale) this.resizeView();
      this.viewer.render();
      this.frames++;
      if (this.resolution.frameDrawn()) this.sizeStale = true;
    }
    const now = performance.now();
    if (now >= this.plotDue && this.config) {
      this.plotDue = now + 100;
      this.updateReadouts();
    }
    requestAnimationFrame(() => this.frame());
  }

  private updateReadouts(): void {
    const config = this.config!;
    const { inside_mM, valence } = config.species;
    const latest = this.recorder.latest(), timeErrors = this.recorder.latestTimeError();
    const nernst = (c: number) => nernst_mV(c, inside_mM, valence, config.temperature_C);
    this.elements.readouts.replaceChildren(...this.probes.map((probe, index) => {
      const row = document.createElement('div');
      row.className = 'readout';
      row.style.color = PROBE_COLOURS[index % PROBE_COLOURS.length];
      const value = latest[index], error = timeErrors[index];
      const known = Number.isFinite(value), withError = known && Number.isFinite(error);
      row.textContent = `${probe.name}: [K⁺]o ${known ? value.toFixed(4) : '—'}${withError ? ` ±${formatError(error)}` : ''} mM, ` +
        `E_K ${known ? nernst(value).toFixed(2) : '—'}${withError ? ` ±${formatError(Math.abs(nernst(value + error) - nernst(value)))}` : ''} mV` +
        (withError ? ' (± time error)' : '');
      row.dataset.probe = probe.name;
      return row;
    }));
    this.plot.setData(this.recorder.time_ms, this.recorder.values_mM,
      this.recorder.nernst(inside_mM, valence, config.temperature_C), this.recorder.marks());
    if (this.latest) {
      const glia = Number.isFinite(this.latest.glialPotential_mV) ? `, glia at ${this.latest.glialPotential_mV.toFixed(1)} mV` : '';
      this.elements.status.textContent = `t = ${(this.latest.time_ms / 1000).toFixed(2)} s · ${this.latest.steps} steps · ` +
        `${this.latest.stepsPerSecond.toFixed(0)} steps/s · mean step ${(config ? this.latest.time_ms / Math.max(1, this.latest.steps) : 0).toFixed(2)} ms` +
        `${glia}${this.failed ? ' · stopped' : this.wantPlaying ? '' : ' · paused'}`;
    }
  }

  private applyView(): void {
    const view = this.state.view;
    const ek = view.mode === 'EK';
    const [low, high] = ek ? view.window_mV : view.window_mM;
    this.viewer.setWindow(low, high);
    this.viewer.setColormap(view.colormap);
    this.viewer.setOpacity(view.opacity);
    this.viewer.setVolumeVisible(view.showVolume);
    this.viewer.setSlices(view.slices);
    this.viewer.setIsosurface(ek || view.isosurface_mM === null ? null : view.isosurface_mM);
    this.colourBar.update(view.colormap, low, high, ek ? 'mV' : 'mM', ek ? 'E_K' : '[K⁺]o − baseline');
    this.dirty = true;
    this.send({ type: 'speed', speed: view.speed });
    this.saveToUrl();
  }

  private setUpProbes(): void {
    this.state.probes = this.probes;
    // The marks are of the current release: with a repeating bolus, of the latest one.
    const source = this.config?.sources[0];
    const cycles = source?.type === 'bolus' && source.period_ms > 0 ? { start_ms: source.time_ms, period_ms: source.period_ms } : undefined;
    this.recorder = new ProbeRecorder(this.probes.map((probe) => probe.name), cycles);
    this.plot.setProbes(this.probes.map((probe) => probe.name));
    this.viewer.setProbes(this.probes);
    this.dirty = true;
    this.saveToUrl();
  }

  /** A click on a visible slice adds a probe there. */
  private addProbeAt(event: MouseEvent): void {
    if (!event.shiftKey && !event.altKey) return;
    const position = this.viewer.pickSlice(event.clientX, event.clientY);
    if (!position) return;
    const probe: PageProbe = { name: `p${this.probes.length + 1}`, position_um: position.map((x) => Math.round(x * 10) / 10) as PageProbe['position_um'] };
    this.probes = [...this.probes, probe];
    this.setUpProbes();
    this.send({ type: 'probes', probes: this.probes });
  }

  private seriesCsv(): string {
    const config = this.config;
    const ek = config ? this.recorder.nernst(config.species.inside_mM, config.species.valence, config.temperature_C) : [];
    return probeSeriesCsv(this.recorder.names, this.recorder.time_ms, this.recorder.values_mM, ek);
  }

  /** Resizing clears the canvas, so it is done just before a drawing, never between drawings. */
  private resizeView(): void {
    this.sizeStale = false;
    const box = this.elements.canvas.parentElement!.getBoundingClientRect();
    // The viewer multiplies by the device pixel ratio itself; this only applies the adaptive scale.
    const scale = this.resolution.scale;
    this.viewer.resize(Math.max(1, Math.floor(box.width * scale)), Math.max(1, Math.floor(box.height * scale)));
  }

  private saveToUrl(): void {
    history.replaceState(null, '', stateToHash(this.state));
  }

  /** The link's problems, one line each, with a button to dismiss them; they stay until then. */
  private showLinkProblems(): void {
    const notice = this.elements.linkNotice;
    if (!this.linkProblems.length) return;
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'dismiss';
    dismiss.textContent = '×';
    dismiss.title = 'dismiss';
    dismiss.setAttribute('aria-label', 'dismiss');
    dismiss.addEventListener('click', () => { notice.hidden = true; });
    const lines = this.linkProblems.map((problem) => {
      const line = document.createElement('div');
      line.className = 'line';
      line.textContent = problem;
      return line;
    });
    notice.replaceChildren(dismiss, ...lines);
    notice.hidden = false;
  }

  private showError(message: string): void {
    this.error = message;
    this.elements.notice.textContent = message;
    this.elements.notice.hidden = false;
    this.elements.notice.classList.add('error');
  }

  private notify(message: string): void {
    this.elements.notice.textContent = message;
    this.elements.notice.hidden = false;
    this.elements.notice.classList.remove('error');
    setTimeout(() => { this.elements.notice.hidden = true; }, 4000);
  }
}
