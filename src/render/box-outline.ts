// The tissue box's twelve edges; the three edges from the origin corner are tinted x red, y green,
// z blue so the axes can be told apart. A unit cube that the viewer scales to the box (µm).
import { BufferAttribute, BufferGeometry, LineBasicMaterial, LineSegments } from 'three';

const AXIS_COLOURS = [[0.95, 0.35, 0.35], [0.4, 0.85, 0.4], [0.4, 0.6, 1.0]];
const EDGE_COLOUR = [0.55, 0.58, 0.65];

export class BoxOutline extends LineSegments<BufferGeometry, LineBasicMaterial> {
  constructor() {
    const positions: number[] = [], colours: number[] = [];
    for (let axis = 0; axis < 3; axis++) {
      const u = (axis + 1) % 3, v = (axis + 2) % 3;
      for (const [a, b] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const start = [0, 0, 0], end = [0, 0, 0];
        start[u] = end[u] = a;
        start[v] = end[v] = b;
        end[axis] = 1;
        positions.push(...start, ...end);
        const colour = a === 0 && b === 0 ? AXIS_COLOURS[axis] : EDGE_COLOUR;
        colours.push(...colour, ...colour);
      }
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array(positions), 3));
    geometry.setAttribute('color', new BufferAttribute(new Float32Array(colours), 3));
    // Drawn after the volume (transparent list, higher render order) so it stays visible through the cloud.
    super(geometry, new LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.9, depthWrite: false }));
    this.name = 'box-outline';
    this.renderOrder = 2;
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
  }
}
