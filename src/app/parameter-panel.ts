// The parameter panel (lil-gui): the model's parameters (a change rebuilds the simulation), the
// run controls, the view settings and the exports. Invalid values show the validation message next
// to their field; nothing is sent to the simulation until the config is valid.
import GUI, { type Controller } from 'lil-gui';
import { COLORMAP_NAMES } from '../core/colormaps.js';
import type { ConfigIssue } from '../core/config-error.js';
import { PRESETS } from '../core/presets.js';
import { adoptLilGuiStyles } from './lil-gui-styles.js';
import { applyPresetToForm, FORM_FIELD_OF_CONFIG, GRID_SIDES, SPEEDS, type PageState, type ParameterForm } from './page-state.js';

export interface PanelActions {
  /** A model parameter changed: validate and rebuild. */
  configChanged(): void;
  /** A view setting changed. */
  viewChanged(): void;
  playPause(): void;
  step(): void;
  reset(): void;
  exportSeries(): void;
  exportConfig(): void;
  screenshot(): void;
  copyLink(): void;
}

export class ParameterPanel {
  readonly gui: GUI;
  private readonly controllers = new Map<keyof ParameterForm, Controller>();
  private readonly messages = new Map<Controller, HTMLElement>();
  private playController!: Controller;
  /** lil-gui edits plain properties; slices are shown as a checkbox and a slider each. */
  private readonly sliceProxy = { x: 0.5, y: 0.5, z: 0.5, showX: false, showY: false, showZ: true };
  private readonly isoProxy = { show: false, level_mM: 1 };

  constructor(container: HTMLElement, private readonly state: PageState, actions: PanelActions) {
    // lil-gui's own <style> element would be blocked by a strict Content-Security-Policy.
    adoptLilGuiStyles();
    this.gui = new GUI({ container, title: 'ecs-sim', width: 300, injectStyles: false });
    const form = state.form;
    const rebuild = () => actions.configChanged();

    const run = this.gui.addFolder('Run');
    const buttons = {
      playPause: () => actions.playPause(), step: () => actions.step(), reset: () => actions.reset(),
    };
    this.playController = run.add(buttons, 'playPause').name('pause');
    run.add(buttons, 'step').name('step');
    run.add(buttons, 'reset').name('reset (t = 0)');
    run.add(state.view, 'speed', SPEEDS).name('speed').onChange(() => actions.viewChanged());
    run.add(state.view, 'timeError').name('time error (±, 3× work)').onChange(rebuild);

    const tissue = this.gui.addFolder('Tissue');
    tissue.add(form, 'preset', PRESETS.map((preset) => preset.name)).name('preset').onChange((name: string) => {
      applyPresetToForm(form, name);
      this.refresh();
      rebuild();
    });
    this.number(tissue, 'alpha', 'α (volume fraction)', rebuild);
    this.number(tissue, 'lambda', 'λ (tortuosity)', rebuild);
    this.controllers.set('region', tissue.add(form, 'region', { 'none': 'none', 'sphere at the centre': 'sphere', 'layer across z': 'layer' })
      .name('region of other tissue').onChange(() => {
        this.showRegionFields();
        rebuild();
      }));
    this.number(tissue, 'region_alpha', 'region α', rebuild);
    this.number(tissue, 'region_lambda', 'region λ', rebuild);
    this.number(tissue, 'region_size_um', 'region radius / thickness (µm)', rebuild);

    const species = this.gui.addFolder('K⁺');
    this.number(species, 'D_um2_per_ms', 'D (µm²/ms)', rebuild);
    this.number(species, 'baseline_mM', 'baseline [K⁺]o (mM)', rebuild);
    this.number(species, 'inside_mM', '[K⁺]i (mM)', rebuild);

    const release = this.gui.addFolder('Release');
    this.controllers.set('release', release.add(form, 'release', ['bolus', 'iontophoresis', 'region']).name('type').onChange(() => {
      this.showReleaseFields();
      rebuild();
    }));
    this.number(release, 'amount_pmol', 'amount (pmol)', rebuild);
    this.number(release, 'period_ms', 'repeat every (ms, 0 = once)', rebuild);
    this.number(release, 'current_nA', 'current (nA)', rebuild);
    this.number(release, 'transport_number', 'transport number', rebuild);
    this.number(release, 'rate_mM_per_ms', 'rate (mM/ms of tissue)', rebuild);
    this.number(release, 'radius_um', 'radius (µm)', rebuild);
    this.number(release, 'duration_ms', 'duration (ms)', rebuild);
    const position = { x: form.position[0], y: form.position[1], z: form.position[2] };
    for (const axis of ['x', 'y', 'z'] as const) {
      release.add(position, axis, 0, 1, 0.01).name(`position ${axis} (fraction of box)`).onFinishChange((value: number) => {
        form.position['xyz'.indexOf(axis)] = value;
        rebuild();
      });
    }

    const uptake = this.gui.addFolder('Uptake');
    this.number(uptake, 'k_ecs_per_ms', "k′ (1/ms, per ECS volume)", rebuild);
    this.number(uptake, 'k_tissue_per_ms', 'k_t (1/ms, per tissue volume)', rebuild);
    this.number(uptake, 'pump_vmax_mM_per_ms', 'pump Vmax (mM/ms)', rebuild);
    this.number(uptake, 'glia_S_per_m3', 'glial Kir g (S/m³; 1.36e8)', rebuild);

    const domain = this.gui.addFolder('Grid and boundary');
    this.controllers.set('boundary', domain.add(form, 'boundary', ['dirichlet', 'neumann']).name('boundary').onChange(rebuild));
    // A link may hold another side than the panel's; it is offered too, so the list shows it.
    const sides = GRID_SIDES.includes(form.grid_n) ? GRID_SIDES : [...GRID_SIDES, form.grid_n].sort((a, b) => a - b);
    this.controllers.set('grid_n', domain.add(form, 'grid_n', sides).name('voxels per side').onChange(rebuild));
    this.number(domain, 'spacing_um', 'voxel size h (µm)', rebuild);
    domain.close();

    const view = this.gui.addFolder('View');
    const changed = () => actions.viewChanged();
    view.add(state.view, 'mode', { '[K⁺]o excess (mM)': 'concentration', 'E_K (mV)': 'EK' }).name('colour by').onChange(changed);
    view.add(state.view, 'colormap', [...COLORMAP_NAMES]).name('colormap').onChange(changed);
    const windows = { lowMM: state.view.window_mM[0], highMM: state.view.window_mM[1], lowMV: state.view.window_mV[0], highMV: state.view.window_mV[1] };
    const setWindows = () => {
      state.view.window_mM = [windows.lowMM, windows.highMM];
      state.view.window_mV = [windows.lowMV, windows.highMV];
      changed();
    };
    view.add(windows, 'lowMM').name('window low (mM excess)').onFinishChange(setWindows);
    view.add(windows, 'highMM').name('window high (mM excess)').onFinishChange(setWindows);
    view.add(windows, 'lowMV').name('window low (mV)').onFinishChange(setWindows);
    view.add(windows, 'highMV').name('window high (mV)').onFinishChange(setWindows);
    view.add(state.view, 'opacity', 0, 1, 0.01).name('cloud opacity').onChange(changed);
    view.add(state.view, 'showVolume').name('show volume').onChange(changed);
    [this.sliceProxy.x, this.sliceProxy.y, this.sliceProxy.z] = state.view.slices.map((s) => s ?? 0.5);
    [this.sliceProxy.showX, this.sliceProxy.showY, this.sliceProxy.showZ] = state.view.slices.map((s) => s !== null);
    const setSlices = () => {
      const p = this.sliceProxy;
      state.view.slices = [p.showX ? p.x : null, p.showY ? p.y : null, p.showZ ? p.z : null];
      changed();
    };
    for (const axis of ['X', 'Y', 'Z'] as const) {
      view.add(this.sliceProxy, `show${axis}`).name(`slice ${axis.toLowerCase()}`).onChange(setSlices);
      view.add(this.sliceProxy, axis.toLowerCase() as 'x', 0, 1, 0.01).name(`slice ${axis.toLowerCase()} position`).onChange(setSlices);
    }
    this.isoProxy.show = state.view.isosurface_mM !== null;
    this.isoProxy.level_mM = state.view.isosurface_mM ?? 1;
    const setIso = () => {
      state.view.isosurface_mM = this.isoProxy.show ? this.isoProxy.level_mM : null;
      changed();
    };
    view.add(this.isoProxy, 'show').name('isosurface').onChange(setIso);
    view.add(this.isoProxy, 'level_mM').name('isosurface level (mM excess)').onFinishChange(setIso);

    const exports = this.gui.addFolder('Export');
    exports.add({ series: () => actions.exportSeries() }, 'series').name('probe series (CSV)');
    exports.add({ config: () => actions.exportConfig() }, 'config').name('config (JSON)');
    exports.add({ screenshot: () => actions.screenshot() }, 'screenshot').name('screenshot (PNG)');
    exports.add({ link: () => actions.copyLink() }, 'link').name('copy link to this view');
    exports.close();
    this.showReleaseFields();
    this.showRegionFields();
  }

  private showRegionFields(): void {
    const show = this.state.form.region !== 'none';
    for (const key of ['region_alpha', 'region_lambda', 'region_size_um'] as const) this.controllers.get(key)?.show(show);
  }

  /** A number field without a slider, so any value can be typed and is then validated. */
  private number(folder: GUI, key: keyof ParameterForm, label: string, onChange: () => void): void {
    const controller = folder.add(this.state.form, key).name(label).onFinishChange(onChange);
    controller.domElement.dataset.field = key;
    this.controllers.set(key, controller);
  }

  private showReleaseFields(): void {
    const type = this.state.form.release;
    const visible: Partial<Record<keyof ParameterForm, boolean>> = {
      amount_pmol: type === 'bolus', period_ms: type === 'bolus', current_nA: type === 'iontophoresis',
      transport_number: type === 'iontophoresis', rate_mM_per_ms: type === 'region', radius_um: type === 'region',
      duration_ms: type !== 'bolus',
    };
    for (const [key, show] of Object.entries(visible)) this.controllers.get(key as keyof ParameterForm)?.show(show);
  }

  /** Shows each issue next to its field (or at the top of the panel), and clears the rest. */
  showIssues(issues: ConfigIssue[]): void {
    for (const element of this.messages.values()) element.remove();
    this.messages.clear();
    for (const issue of issues) {
      const key = FORM_FIELD_OF_CONFIG[issue.field] ?? FORM_FIELD_OF_CONFIG[issue.field.replace(/\[\d\]$/, '')];
      const controller = key ? this.controllers.get(key) : undefined;
      const element = document.createElement('div');
      element.className = 'validation-message';
      element.setAttribute('role', 'alert');
      element.textContent = issue.message;
      if (controller) {
        controller.domElement.after(element);
        this.messages.set(controller, element);
      } else {
        this.gui.domElement.prepend(element);
        this.messages.set(this.playController, element);
      }
    }
  }

  setPlaying(playing: boolean): void {
    this.playController.name(playing ? 'pause' : 'play');
  }

  refresh(): void {
    for (const controller of this.gui.controllersRecursive()) controller.updateDisplay();
  }
}
