// Entry point of the web page.
import { App } from './app.js';
import { RtiFitPanel } from './rti-fit-panel.js';
import './style.css';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const app = new App({
  canvas: element<HTMLCanvasElement>('view'),
  panel: element('panel'),
  readouts: element('readouts'),
  plot: element('plot'),
  colourBar: element('colour-bar'),
  status: element('status'),
  notice: element('notice'),
  linkNotice: element('link-notice'),
});
const rtiFit = new RtiFitPanel(element('rti-fit'));
Object.assign(window, { ecsSim: app.handle, ecsSimRtiFit: rtiFit });
