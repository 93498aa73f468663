// Outlines of the tissue regions that have their own α and λ: a sphere as its three great circles,
// a box as its twelve edges, a layer as the box it cuts out of the tissue, each region in its own
// colour. Coordinates in the box frame (µm).
import { BufferAttribute, BufferGeometry, Color, Group, LineBasicMaterial, LineSegments } from 'three';
import type { RegionConfig } from '../core/config.js';

/** Outline colours, chosen to stand apart from viridis, inferno, magma and cividis. */
export const REGION_COLOURS = ['#ff6f91', '#5ee7ff', '#ffffff', '#ff9f1c', '#c3f73a', '#b388ff'];
const CIRCLE_SEGMENTS = 72;

function sphereEdges(center: readonly number[], radius: number): Float32Array {
  const positions = new Float32Array(3 * CIRCLE_SEGMENTS * 2 * 3);
  let n = 0;
  for (let axis = 0; axis < 3; axis++) {
    const u = (axis + 1) % 3, v = (axis + 2) % 3;
    for (let s = 0; s < CIRCLE_SEGMENTS; s++) {
      for (const end of [s, s + 1]) {
        const angle = (2 * Math.PI * end) / CIRCLE_SEGMENTS;
        positions[n + axis] = center[axis];
        positions[n + u] = center[u] + radius * Math.cos(angle);
        positions[n + v] = center[v] + radius * Math.sin(angle);
        n += 3;
      }
    }
  }
  return positions;
}

function boxEdges(min: readonly number[], max: readonly number[]): Float32Array {
  const positions: number[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const u = (axis + 1) % 3, v = (axis + 2) % 3;
    for (const [a, b] of [[min, min], [max, min], [min, max], [max, max]]) {
      const start = [0, 0, 0], end = [0, 0, 0];
      start[u] = end[u] = a[u];
      start[v] = end[v] = b[v];
      start[axis] = min[axis];
      end[axis] = max[axis];
      positions.push(...start, ...end);
    }
  }
  return new Float32Array(positions);
}

export class RegionOutlines extends Group {
  constructor() {
    super();
    this.name = 'region-outlines';
  }

  /** `extent`: the tissue box size (µm), which a layer spans across its own axis. */
  setRegions(regions: readonly RegionConfig[], extent: readonly number[]): void {
    this.clear();
    regions.forEach((region, index) => {
      let positions: Float32Array;
      if (region.shape === 'sphere') positions = sphereEdges(region.center_um, region.radius_um);
      else if (region.shape === 'box') positions = boxEdges(region.min_um, region.max_um);
      else if (region.shape === 'layer') {
        const axis = 'xyz'.indexOf(region.axis);
        const min = [0, 0, 0], max = [extent[0], extent[1], extent[2]];
        min[axis] = region.min_um;
        max[axis] = region.max_um;
        positions = boxEdges(min, max);
      } else return;
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(positions, 3));
      const material = new LineBasicMaterial({
        color: new Color(REGION_COLOURS[index % REGION_COLOURS.length]),
        transparent: true,
        opacity: 0.95,
        depthWrite: false,
      });
      const outline = new LineSegments(geometry, material);
      outline.name = `region-${index}`;
      outline.renderOrder = 2;
      outline.userData = { alpha: region.alpha, lambda: region.lambda };
      this.add(outline);
    });
  }

  /** Frees the outlines' geometry and materials and removes them. */
  override clear(): this {
    for (const child of this.children) {
      const outline = child as LineSegments<BufferGeometry, LineBasicMaterial>;
      outline.geometry.dispose();
      outline.material.dispose();
    }
    return super.clear();
  }

  dispose(): void {
    this.clear();
  }
}
