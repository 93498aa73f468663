// lil-gui's stylesheet for the parameter panel, adopted by the document as a constructed stylesheet,
// so that the documented Content-Security-Policy allows it: lil-gui itself would add a <style>
// element (inline style, blocked by style-src 'self'). Its icon font is a data: URL, which the policy
// blocks too (no font-src), and Chromium reports that as soon as the @font-face rule is in a sheet,
// used or not; so the rule is left out and the icons (↕ ▾ ▸ ✓, plain characters) are drawn in the
// panel's own font. The CSS is the installed lil-gui's, so it always matches its code.
/// <reference types="vite/client" />
import LIL_GUI_CSS from '../../node_modules/lil-gui/dist/lil-gui.css?raw';

const ICONS_IN_PANEL_FONT = `
.lil-controller.lil-option .lil-display:after, .lil-gui .lil-title:before,
.lil-gui input[type=checkbox]:checked:before { font-family: inherit; }`;

let adopted = false;

/** Adds lil-gui's styles (without its icon font) to the document, once. */
export function adoptLilGuiStyles(): void {
  if (adopted) return;
  adopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(LIL_GUI_CSS.replace(/@font-face\s*\{[^}]*\}/g, '') + ICONS_IN_PANEL_FONT);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
