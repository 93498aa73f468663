// embed.html: one <ecs-sim> filling the frame, for sites that only allow iframes. The query string
// holds the element's attributes: embed.html?preset=ischemia&alpha=0.1&autoplay&controls. Flags are
// on when present (unless "false" or "0"); unknown parameters are named in a visible warning.
import './embed-page.css';
import { CONFIG_ATTRIBUTE, ELEMENT_ATTRIBUTES, ELEMENT_FLAGS } from './element-attributes.js';
import './index.js';
import type { EcsSimElement } from './ecs-sim-element.js';

const VALUE_ATTRIBUTES = new Set([...ELEMENT_ATTRIBUTES.map((spec) => spec.attribute), CONFIG_ATTRIBUTE]);
const FLAGS = new Set<string>(ELEMENT_FLAGS.map((flag) => flag.attribute));

/** An <ecs-sim> with the query's attributes, and the parameter names it does not know. */
export function elementFromQuery(query: string): { element: EcsSimElement; unknown: string[] } {
  const element = document.createElement('ecs-sim');
  const unknown: string[] = [];
  for (const [name, value] of new URLSearchParams(query)) {
    const attribute = name.toLowerCase();
    if (VALUE_ATTRIBUTES.has(attribute)) element.setAttribute(attribute, value);
    else if (FLAGS.has(attribute)) element.toggleAttribute(attribute, value !== 'false' && value !== '0');
    else unknown.push(name);
  }
  return { element, unknown };
}

const { element, unknown } = elementFromQuery(location.search);
document.body.append(element);
if (unknown.length) {
  const warning = document.createElement('div');
  warning.className = 'embed-warning';
  warning.setAttribute('role', 'alert');
  warning.textContent = `Ignored unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ` +
    '(the parameters are the attributes of <ecs-sim>: see ';
  const link = Object.assign(document.createElement('a'), { href: './docs.html#reference', target: '_blank', textContent: 'the reference' });
  warning.append(link, ').');
  document.body.append(warning);
}
Object.assign(window, { ecsSimEmbed: element });
