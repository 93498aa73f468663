// The ecs-sim WebAssembly kernel. It knows no units: the host passes pointers into this module's
// memory and dimensionless coefficients (D* dt/h², k dt, …).
export { heapBase, fill } from "./layout";
export { stepUniform, decayRemoved } from "./diffusion_uniform";
export { stepHeterogeneous } from "./diffusion_heterogeneous";
export { stepReference } from "./diffusion_reference";
export { buildFaces } from "./faces";
export { setReaction, fusedRemovedByEcsRate, fusedRemovedByTissueRate, fusedRemovedByPump } from "./uptake_fused";
export {
  reactGeneral, resetRemoved, removedByEcsRate, removedByTissueRate, removedByPump,
} from "./reaction";
export { gliaStep, glialGrossUptake, glialNetRemoved } from "./glia";
export { sumField, sumWeighted, sumAlphaWeighted, sumValues, sumValuesOver, sumValuesTimes } from "./reductions";
export { stageUniform, lastStageUptake } from "./stage_uniform";
export { stageHeterogeneous, lastStageAlphaWeightedSum, lastStageSum } from "./stage_heterogeneous";
export { endSuperStep, errorNorm, lastLargestValue, stageReference, lastReferenceAlphaWeightedSum, lastReferenceSum } from "./super_step";
