// The 3D view of the field: a ray-marched volume of the K⁺ excess (or E_K) through a colormap and an
// opacity transfer, three movable slice planes in the same colours, an optional isosurface, the
// tissue box, the regions with their own α and λ, and the probes. Orbit (left drag), zoom (wheel),
// pan (right drag). One WebGL context per viewer, freed by dispose().
//
// World units are µm. The box frame (`root`) has its origin at the box corner, so the box spans
// [0, N·h] per axis there; `root` is shifted by half the box so the camera orbits the centre.
//
// The page drives drawing: render() draws one frame. Camera moves schedule one frame themselves.
import { BoxGeometry, Color, Group, Mesh, PerspectiveCamera, Raycaster, Scene, Vector2, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import type { ColormapName } from '../core/colormaps.js';
import type { RegionConfig } from '../core/config.js';
import { BoxOutline } from './box-outline.js';
import { ColormapTexture } from './colormap-texture.js';
import { FieldTexture } from './field-texture.js';
import { ProbeMarkers } from './probe-markers.js';
import { RegionOutlines } from './region-outlines.js';
import { SlicePlanes } from './slice-planes.js';
import { VolumeMaterial } from './volume-material.js';

export interface ViewerScene {
  size: [number, number, number];
  spacing_um: number;
  regions: RegionConfig[];
  probes: { name: string; position_um: [number, number, number] }[];
}

export interface EcsViewerOptions {
  /** Keep the drawn frame readable after compositing (screenshots, tests). */
  preserveDrawingBuffer?: boolean;
  /** CSS colour behind the volume. */
  background?: string;
}

const FOV_DEG = 35;
const VIEW_DIRECTION = new Vector3(0.85, 0.6, 1.35).normalize();

const _ndc = new Vector2();
const _raycaster = new Raycaster();
const _point = new Vector3();
const _extent = new Vector3();

export class EcsViewer {
  readonly canvas: HTMLCanvasElement;
  /** frames: how many frames render() has drawn. */
  readonly rendererInfo = { frames: 0 };

  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(FOV_DEG, 1, 0.1, 1000);
  private readonly controls: OrbitControls;
  private readonly root = new Group();
  private readonly colormap = new ColormapTexture('viridis');
  private field = new FieldTexture(1, 1, 1);
  private readonly volumeMaterial: VolumeMaterial;
  private readonly volume: Mesh<BoxGeometry, VolumeMaterial>;
  private readonly slices: SlicePlanes;
  private readonly box = new BoxOutline();
  private readonly regions = new RegionOutlines();
  private readonly probes = new ProbeMarkers();

  private readonly grid = new Vector3(1, 1, 1);
  private readonly extent = new Vector3(1, 1, 1);
  private hasScene = false;
  private volumeVisible = true;
  private isoLevel: number | null = null;
  private pendingFrame = 0;
  private disposed = false;

  constructor(canvas: HTMLCanvasElement, options: EcsViewerOptions = {}) {
    this.canvas = canvas;
    this.renderer = new WebGLRenderer({
      canvas,
      antialias: true,
      alpha: false,
      preserveDrawingBuffer: options.preserveDrawingBuffer ?? false,
      powerPreference: 'high-performance',
    });
    this.renderer.setPixelRatio(Math.min(globalThis.devicePixelRatio || 1, 2));
    this.renderer.setClearColor(new Color(options.background ?? '#101217'), 1);

    this.volumeMaterial = new VolumeMaterial(this.field, this.colormap);
    this.volume = new Mesh(new BoxGeometry(1, 1, 1).translate(0.5, 0.5, 0.5), this.volumeMaterial);
    this.volume.name = 'volume';
    this.volume.renderOrder = 1;
    this.slices = new SlicePlanes(this.field, this.colormap);

    this.root.add(this.slices, this.volume, this.box, this.regions, this.probes);
    this.root.visible = false;
    this.scene.add(this.root);

    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', this.onControlsChange);

    const width = canvas.clientWidth || canvas.width || 300, height = canvas.clientHeight || canvas.height || 150;
    this.resize(width, height);
  }

  /** (Re)builds the box, regions and probes; reallocates the field texture when the grid size changes; frames the camera when the box size changes. */
  setScene(scene: ViewerScene): void {
    const [nx, ny, nz] = scene.size;
    if (![nx, ny, nz].every((n) => Number.isInteger(n) && n > 0)) throw new Error(`grid size must be 3 positive integers, got [${scene.size.join(', ')}]`);
    if (!(scene.spacing_um > 0)) throw new Error(`spacing_um must be > 0, got ${scene.spacing_um}`);
    const h = scene.spacing_um;

    if (nx !== this.field.nx || ny !== this.field.ny || nz !== this.field.nz) {
      const field = new FieldTexture(nx, ny, nz);
      field.setWindow(this.field.windowMin, this.field.windowMax);
      this.field.dispose();
      this.field = field;
      this.volumeMaterial.uniforms.uField.value = field;
      this.slices.setField(field);
    }
    this.grid.set(nx, ny, nz);
    this.volumeMaterial.setGrid(nx, ny, nz);

    _extent.set(nx * h, ny * h, nz * h);
    const reframe = !this.hasScene || !_extent.equals(this.extent);
    this.extent.copy(_extent);
    this.root.position.copy(this.extent).multiplyScalar(-0.5);
    this.volume.scale.copy(this.extent);
    this.box.scale.copy(this.extent);
    this.slices.setExtent(this.extent);
    this.regions.setRegions(scene.regions, [this.extent.x, this.extent.y, this.extent.z]);
    this.probes.radius = Math.max(h, 0.012 * Math.max(this.extent.x, this.extent.y, this.extent.z));
    this.probes.setProbes(scene.probes);
    this.updateSliceClipping();
    this.updateIsoLevel();

    this.hasScene = true;
    this.root.visible = true;
    if (reframe) this.frameCamera();
  }

  /** One value per voxel, index i + Nx (j + Ny k), mapped through the window into the texture. */
  updateField(values: Float32Array): void {
    this.field.update(values);
  }

  /** The value range that spans the colormap (the units of updateField's values). */
  setWindow(min: number, max: number): void {
    this.field.setWindow(min, max);
    this.updateIsoLevel();
  }

  setColormap(name: ColormapName): void {
    this.colormap.setColormap(name);
  }

  /** 0…1: opacity of 1/64 of the box's longest side at the top of the window. */
  setOpacity(density: number): void {
    this.volumeMaterial.uniforms.uDensity.value = Math.min(Math.max(Number.isFinite(density) ? density : 0, 0), 1);
  }

  setVolumeVisible(visible: boolean): void {
    this.volumeVisible = visible;
    this.volumeMaterial.uniforms.uShowVolume.value = visible ? 1 : 0;
    this.updateIsoLevel();
  }

  /** Fraction 0…1 along x, y, z of each slice plane; null hides it. */
  setSlices(positions: [number | null, number | null, number | null]): void {
    this.slices.setPositions(positions);
    this.updateSliceClipping();
  }

  setProbes(probes: ViewerScene['probes']): void {
    this.probes.setProbes(probes);
  }

  /** A shaded surface where the field crosses `level` (same units as the window), or null for none. */
  setIsosurface(level: number | null): void {
    this.isoLevel = level !== null && Number.isFinite(level) ? level : null;
    this.updateIsoLevel();
  }

  /** The point (µm, box frame) where a click at (clientX, clientY) hits the nearest visible slice plane, or null. */
  pickSlice(clientX: number, clientY: number): [number, number, number] | null {
    if (this.disposed || !this.hasScene) return null;
    const rect = this.canvas.getBoundingClientRect();
    if (rect.width <= 0 || rect.height <= 0) return null;
    _ndc.set(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.scene.updateMatrixWorld();
    this.camera.updateMatrixWorld();
    _raycaster.setFromCamera(_ndc, this.camera);
    if (!this.slices.pick(_raycaster, _point)) return null;
    _point.clamp(_extent.set(0, 0, 0), this.extent);
    return [_point.x, _point.y, _point.z];
  }

  /** Canvas size in CSS pixels; the drawing buffer is that times the device pixel ratio. The page sets the canvas's CSS size. */
  resize(width: number, height: number): void {
    if (this.disposed) return;
    const w = Math.max(1, Math.round(width)), h = Math.max(1, Math.round(height));
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
  }

  render(): void {
    if (this.disposed) return;
    this.renderer.render(this.scene, this.camera);
    this.rendererInfo.frames++;
  }

  /** Frees geometry, textures, materials, controls and the WebGL context. The viewer is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.pendingFrame) cancelAnimationFrame(this.pendingFrame);
    this.pendingFrame = 0;
    this.controls.removeEventListener('change', this.onControlsChange);
    this.controls.dispose();
    this.volume.geometry.dispose();
    this.volumeMaterial.dispose();
    this.slices.dispose();
    this.box.dispose();
    this.regions.dispose();
    this.probes.dispose();
    this.field.dispose();
    this.colormap.dispose();
    this.scene.clear();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
  }

  private readonly onControlsChange = (): void => {
    if (this.pendingFrame === 0 && !this.disposed) this.pendingFrame = requestAnimationFrame(this.onFrame);
  };

  private readonly onFrame = (): void => {
    this.pendingFrame = 0;
    this.render();
  };

  private frameCamera(): void {
    const radius = this.extent.length() / 2;
    const distance = (radius / Math.sin(((FOV_DEG / 2) * Math.PI) / 180)) * 1.05;
    this.camera.near = radius / 100;
    this.camera.far = distance * 10;
    this.camera.updateProjectionMatrix();
    this.camera.position.copy(VIEW_DIRECTION).multiplyScalar(distance);
    this.controls.target.set(0, 0, 0);
    this.controls.minDistance = radius * 0.05;
    this.controls.maxDistance = distance * 6;
    this.controls.update();
  }

  private updateSliceClipping(): void {
    this.slices.voxelPositions(this.grid, this.volumeMaterial.uniforms.uSlices.value);
  }

  private updateIsoLevel(): void {
    const min = this.field.windowMin, max = this.field.windowMax;
    let iso = -1;
    if (this.isoLevel !== null && max > min) {
      const t = (this.isoLevel - min) / (max - min);
      if (t > 0 && t <= 1) iso = t;
    }
    this.volumeMaterial.uniforms.uIso.value = iso;
    this.volume.visible = this.volumeVisible || iso >= 0;
  }
}
