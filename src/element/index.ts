// The <ecs-sim> custom element: importing this module defines it (once per page).
//   <script type="module" src="ecs-sim.js"></script>
//   <ecs-sim preset="cortex" alpha="0.2" lambda="1.6" autoplay></ecs-sim>
import { EcsSimElement } from './ecs-sim-element.js';

export {
  EcsSimElement, type EcsSimReadyDetail, type EcsSimStepDetail, type EcsSimProbeDetail, type EcsSimErrorDetail, type EcsSimElementEventMap,
} from './ecs-sim-element.js';
export { ELEMENT_ATTRIBUTES, ELEMENT_FLAGS, CONFIG_ATTRIBUTE, type AttributeSpec } from './element-attributes.js';
export { ELEMENT_CONTENT_SECURITY_POLICY, SINGLE_FILE_CONTENT_SECURITY_POLICY } from './content-security-policy.js';

/** The tag name the element is defined under. */
export const ELEMENT_NAME = 'ecs-sim';

if (typeof customElements !== 'undefined' && !customElements.get(ELEMENT_NAME)) {
  customElements.define(ELEMENT_NAME, EcsSimElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'ecs-sim': EcsSimElement;
  }
}
