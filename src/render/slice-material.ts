// Material of one slice plane: the same 3D texture and colormap as the volume, opaque. The plane's
// geometry lies in the unit cube (texture coordinates) with its own axis at 0; `uOffset` moves it to
// the slice position, so the texture coordinate is position + offset.
import { DoubleSide, GLSL3, RawShaderMaterial, Vector3, type Texture } from 'three';
import { COLORMAP_LOOKUP_GLSL } from './glsl.js';

const VERTEX = /* glsl */ `
precision highp float;

uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
uniform vec3 uOffset;

in vec3 position;

out vec3 vTexel;

void main() {
  vTexel = position + uOffset;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;
precision highp sampler3D;

uniform sampler3D uField;
uniform vec3 uEdge;
uniform float uEdgeWidth;

in vec3 vTexel;

out vec4 fragColor;
${COLORMAP_LOOKUP_GLSL}
void main() {
  vec3 colour = colormap(texture(uField, vTexel).r);
  // A thin light rim marks the plane's border against the volume and the background.
  vec3 inside = min(vTexel, 1.0 - vTexel);
  vec3 width = uEdgeWidth * fwidth(vTexel);
  bvec3 rim = lessThan(inside, width);
  bvec3 onAxis = greaterThan(fwidth(vTexel), vec3(0.0));
  if (any(bvec3(rim.x && onAxis.x, rim.y && onAxis.y, rim.z && onAxis.z))) colour = mix(colour, uEdge, 0.8);
  fragColor = vec4(colour, 1.0);
}
`;

export class SliceMaterial extends RawShaderMaterial {
  constructor(field: Texture, colormap: Texture) {
    super({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        uField: { value: field },
        uColormap: { value: colormap },
        uOffset: { value: new Vector3() },
        uEdge: { value: new Vector3(0.85, 0.87, 0.9) },
        uEdgeWidth: { value: 1.5 },
      },
      side: DoubleSide,
    });
  }
}
