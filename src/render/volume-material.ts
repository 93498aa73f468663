// Ray-marching material for the field volume. Drawn on the back faces of a unit cube that the mesh
// scales to the box (µm), so a ray exists for every pixel the box covers, the camera inside it too.
// The fragment shader works in voxel coordinates (the box is [0, N]): it intersects the ray with the
// box, stops it at the first visible slice plane (the opaque slice is drawn underneath), marches with
// a step of a fixed fraction of a voxel, maps each sample through the colormap and the opacity
// transfer α = density · v^γ (per reference length, corrected for the step), composites front to back
// and stops once nearly opaque. An optional isosurface is found between samples, refined linearly,
// lit by a head light and composited where the ray meets it.
import { CustomBlending, BackSide, GLSL3, OneFactor, OneMinusSrcAlphaFactor, RawShaderMaterial, Vector3, type Texture } from 'three';
import { COLORMAP_LOOKUP_GLSL } from './glsl.js';

const VERTEX = /* glsl */ `
precision highp float;

uniform mat4 modelMatrix;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
uniform vec3 cameraPosition;
uniform vec3 uGrid;

in vec3 position;

out vec3 vEye;
out vec3 vPoint;

void main() {
  // The unit cube's coordinates times the grid size are voxel coordinates.
  vEye = (inverse(modelMatrix) * vec4(cameraPosition, 1.0)).xyz * uGrid;
  vPoint = position * uGrid;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;
precision highp sampler3D;

uniform sampler3D uField;
uniform vec3 uGrid;
uniform float uStep;
uniform float uReference;
uniform float uDensity;
uniform float uGamma;
uniform float uShowVolume;
uniform float uIso;
uniform vec3 uSlices;
uniform int uMaxSteps;

in vec3 vEye;
in vec3 vPoint;

out vec4 fragColor;
${COLORMAP_LOOKUP_GLSL}
float field(vec3 p) {
  return texture(uField, p / uGrid).r;
}

// Entry and exit distances of the ray eye + t dir through the box [0, uGrid].
vec2 boxSpan(vec3 eye, vec3 dir) {
  vec3 safe = mix(dir, vec3(1e-9), lessThan(abs(dir), vec3(1e-9)));
  vec3 a = -eye / safe;
  vec3 b = (uGrid - eye) / safe;
  vec3 near = min(a, b);
  vec3 far = max(a, b);
  return vec2(max(max(near.x, near.y), near.z), min(min(far.x, far.y), far.z));
}

vec3 surfaceColour(vec3 p, vec3 dir) {
  vec3 g = vec3(
    field(p + vec3(1.0, 0.0, 0.0)) - field(p - vec3(1.0, 0.0, 0.0)),
    field(p + vec3(0.0, 1.0, 0.0)) - field(p - vec3(0.0, 1.0, 0.0)),
    field(p + vec3(0.0, 0.0, 1.0)) - field(p - vec3(0.0, 0.0, 1.0)));
  float len = length(g);
  // The field falls away from the inside of the surface: the outward normal is along -grad.
  vec3 normal = len > 1e-6 ? -g / len : -dir;
  float facing = abs(dot(normal, -dir));
  vec3 base = colormap(uIso);
  return base * (0.3 + 0.7 * facing) + vec3(0.35) * pow(facing, 48.0);
}

void main() {
  vec3 dir = normalize(vPoint - vEye);
  vec2 span = boxSpan(vEye, dir);
  float t0 = max(span.x, 0.0);
  float t1 = span.y;
  for (int axis = 0; axis < 3; axis++) {
    if (uSlices[axis] >= 0.0 && abs(dir[axis]) > 1e-9) {
      float ts = (uSlices[axis] - vEye[axis]) / dir[axis];
      // A plane on the entry face hides the whole ray (t1 ≤ t0 below).
      if (ts >= t0 - 1e-3 && ts < t1) t1 = ts;
    }
  }
  if (t1 <= t0) discard;

  int steps = min(int(ceil((t1 - t0) / uStep)), uMaxSteps);
  float dt = (t1 - t0) / float(steps);
  // Per-pixel start offset (interleaved gradient noise) trades banding for fine grain.
  float jitter = fract(52.9829189 * fract(dot(gl_FragCoord.xy, vec2(0.06711056, 0.00583715))));
  float t = t0 + jitter * dt;
  float along = dt / uReference;

  vec4 sum = vec4(0.0);
  float previous = field(vEye + t0 * dir);
  float tPrevious = t0;
  for (int i = 0; i < steps; i++) {
    float v = field(vEye + t * dir);
    if (uIso >= 0.0 && previous < uIso && v >= uIso) {
      // The crossing between the last two samples, by linear interpolation.
      float f = (uIso - previous) / max(v - previous, 1e-6);
      sum.rgb += (1.0 - sum.a) * surfaceColour(vEye + mix(tPrevious, t, f) * dir, dir);
      sum.a = 1.0;
      break;
    }
    previous = v;
    tPrevious = t;
    if (uShowVolume > 0.5 && v > 0.0) {
      float opacity = min(uDensity * pow(v, uGamma), 0.999);
      float a = 1.0 - pow(1.0 - opacity, along);
      sum.rgb += (1.0 - sum.a) * a * colormap(v);
      sum.a += (1.0 - sum.a) * a;
      if (sum.a > 0.985) break;
    }
    t += dt;
  }
  if (sum.a <= 0.0) discard;
  // Premultiplied colour over what is behind (ONE, ONE_MINUS_SRC_ALPHA).
  fragColor = sum;
}
`;

export class VolumeMaterial extends RawShaderMaterial {
  constructor(field: Texture, colormap: Texture) {
    super({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        uField: { value: field },
        uColormap: { value: colormap },
        uGrid: { value: new Vector3(1, 1, 1) },
        uStep: { value: 0.5 },
        uReference: { value: 1 },
        uDensity: { value: 0.35 },
        uGamma: { value: 2 },
        uShowVolume: { value: 1 },
        uIso: { value: -1 },
        uSlices: { value: new Vector3(-1, -1, -1) },
        uMaxSteps: { value: 4096 },
      },
      side: BackSide,
      transparent: true,
      depthTest: false,
      depthWrite: false,
      blending: CustomBlending,
      blendSrc: OneFactor,
      blendDst: OneMinusSrcAlphaFactor,
      blendSrcAlpha: OneFactor,
      blendDstAlpha: OneMinusSrcAlphaFactor,
    });
  }

  /**
   * Grid size in voxels. The ray takes `samplesPerVoxel` samples per voxel of path (by default 2 on
   * grids up to 64 voxels across, falling to 1 at 128 and beyond, so a ray costs at most about
   * 1.7·128 samples on large grids); opacity is per 1/64 of the longest side, whatever the grid.
   */
  setGrid(nx: number, ny: number, nz: number, samplesPerVoxel = Math.min(2, Math.max(1, 128 / Math.max(nx, ny, nz)))): void {
    this.uniforms.uGrid.value.set(nx, ny, nz);
    this.uniforms.uStep.value = 1 / samplesPerVoxel;
    this.uniforms.uReference.value = Math.max(nx, ny, nz) / 64;
    this.uniforms.uMaxSteps.value = Math.ceil(Math.hypot(nx, ny, nz) * samplesPerVoxel) + 2;
  }
}
