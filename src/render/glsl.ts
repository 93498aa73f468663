// GLSL 3.00 ES snippets shared by the volume and slice shaders.

/** The colour of a normalised value v ∈ [0, 1] from a 256×1 colormap texture (texel centres). */
export const COLORMAP_LOOKUP_GLSL = /* glsl */ `
uniform sampler2D uColormap;
vec3 colormap(float v) {
  return texture(uColormap, vec2(clamp(v, 0.0, 1.0) * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
}
`;
