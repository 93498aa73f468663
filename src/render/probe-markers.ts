// Probe markers: a light sphere with a dark rim (a slightly larger back-facing sphere) at each probe,
// readable over every colormap. Drawn after the volume so a probe inside the cloud stays visible.
import { BackSide, Color, Group, Mesh, MeshBasicMaterial, SphereGeometry } from 'three';

export interface ProbeMarker {
  name: string;
  position_um: readonly [number, number, number];
}

export class ProbeMarkers extends Group {
  private readonly geometry = new SphereGeometry(1, 20, 14);
  private readonly fill = new MeshBasicMaterial({ color: new Color('#ffffff'), transparent: true, opacity: 1 });
  private readonly rim = new MeshBasicMaterial({ color: new Color('#101014'), side: BackSide, transparent: true, opacity: 1 });
  /** Marker radius in µm. */
  radius = 1;

  constructor() {
    super();
    this.name = 'probe-markers';
  }

  setProbes(probes: readonly ProbeMarker[]): void {
    this.clear();
    for (const probe of probes) {
      const marker = new Group();
      marker.name = probe.name;
      marker.position.set(probe.position_um[0], probe.position_um[1], probe.position_um[2]);
      marker.scale.setScalar(this.radius);
      const fill = new Mesh(this.geometry, this.fill);
      const rim = new Mesh(this.geometry, this.rim);
      rim.scale.setScalar(1.35);
      fill.renderOrder = rim.renderOrder = 3;
      marker.add(rim, fill);
      this.add(marker);
    }
  }

  setRadius(radius: number): void {
    this.radius = radius;
    for (const marker of this.children) marker.scale.setScalar(radius);
  }

  dispose(): void {
    this.clear();
    this.geometry.dispose();
    this.fill.dispose();
    this.rim.dispose();
  }
}
