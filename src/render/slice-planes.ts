// The three orthogonal slice planes (normal x, y, z), each a unit quad in texture coordinates that
// the mesh scales to the box (µm) and moves along its axis. Lives in the viewer's box frame, whose
// origin is the box corner.
import { BufferAttribute, BufferGeometry, Group, Mesh, Vector3, type Intersection, type Object3D, type Raycaster, type Texture } from 'three';
import { SliceMaterial } from './slice-material.js';

const _hits: Intersection<Object3D>[] = [];

/** A unit quad spanning the two axes other than `axis`, at 0 along `axis`. */
function quad(axis: number): BufferGeometry {
  const u = (axis + 1) % 3, v = (axis + 2) % 3;
  const positions = new Float32Array(12);
  const corners = [[0, 0], [1, 0], [1, 1], [0, 1]];
  corners.forEach(([a, b], c) => {
    positions[3 * c + u] = a;
    positions[3 * c + v] = b;
  });
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.setIndex([0, 1, 2, 0, 2, 3]);
  geometry.computeBoundingSphere();
  geometry.computeBoundingBox();
  return geometry;
}

export class SlicePlanes extends Group {
  readonly planes: Mesh<BufferGeometry, SliceMaterial>[] = [];
  /** Fraction 0…1 along each axis, or null where the plane is hidden. */
  readonly positions: [number | null, number | null, number | null] = [null, null, null];

  constructor(field: Texture, colormap: Texture) {
    super();
    this.name = 'slice-planes';
    for (let axis = 0; axis < 3; axis++) {
      const plane = new Mesh(quad(axis), new SliceMaterial(field, colormap));
      plane.name = `slice-${'xyz'[axis]}`;
      plane.visible = false;
      this.planes.push(plane);
      this.add(plane);
    }
  }

  setField(field: Texture): void {
    for (const plane of this.planes) plane.material.uniforms.uField.value = field;
  }

  /** Box size in µm. */
  setExtent(extent: Vector3): void {
    for (const plane of this.planes) plane.scale.copy(extent);
    this.place();
  }

  setPositions(positions: readonly (number | null)[]): void {
    for (let axis = 0; axis < 3; axis++) {
      const f = positions[axis];
      this.positions[axis] = f === null || f === undefined || !Number.isFinite(f) ? null : Math.min(Math.max(f, 0), 1);
    }
    this.place();
  }

  /** Writes each plane's position in voxel units (−1 where hidden) into `target`, for the volume shader. */
  voxelPositions(grid: Vector3, target: Vector3): Vector3 {
    for (let axis = 0; axis < 3; axis++) {
      const f = this.positions[axis];
      target.setComponent(axis, f === null ? -1 : f * grid.getComponent(axis));
    }
    return target;
  }

  /** The nearest visible plane the ray hits, as a point in the box frame (µm); false if none. */
  pick(raycaster: Raycaster, target: Vector3): boolean {
    _hits.length = 0;
    for (const plane of this.planes) if (plane.visible) plane.raycast(raycaster, _hits);
    if (_hits.length === 0) return false;
    let nearest = _hits[0];
    for (const hit of _hits) if (hit.distance < nearest.distance) nearest = hit;
    target.copy(nearest.point);
    this.worldToLocal(target);
    _hits.length = 0;
    return true;
  }

  dispose(): void {
    for (const plane of this.planes) {
      plane.geometry.dispose();
      plane.material.dispose();
    }
  }

  private place(): void {
    for (let axis = 0; axis < 3; axis++) {
      const plane = this.planes[axis], f = this.positions[axis];
      plane.visible = f !== null;
      const offset = f ?? 0;
      plane.position.set(0, 0, 0).setComponent(axis, offset * plane.scale.getComponent(axis));
      plane.material.uniforms.uOffset.value.set(0, 0, 0).setComponent(axis, offset);
    }
  }
}
