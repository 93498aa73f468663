// The element's own styles, adopted by its shadow root as a constructed stylesheet: no <style>
// element and no inline style attribute, so a page's strict Content-Security-Policy (style-src
// without 'unsafe-inline') does not block them.

const CSS = `
:host {
  display: block; position: relative; overflow: hidden; contain: content;
  aspect-ratio: 4 / 3; min-height: 160px;
  background: #111318; color: #e6e6e6; font: 12px/1.4 system-ui, sans-serif; border-radius: 4px;
}
:host([hidden]) { display: none; }
.view { position: absolute; inset: 0 0 40px 0; }
canvas.gl { display: block; width: 100%; height: 100%; touch-action: none; }
.colour-bar {
  position: absolute; left: 8px; right: 8px; bottom: 22px; height: 14px;
  display: flex; align-items: center; gap: 6px; color: #9aa0a6;
}
.colour-bar canvas { flex: 1 1 0; min-width: 0; width: 0; height: 8px; image-rendering: pixelated; border-radius: 2px; }
.colour-bar-title { color: #e6e6e6; }
.status { position: absolute; left: 8px; right: 8px; bottom: 3px; color: #9aa0a6; font-variant-numeric: tabular-nums;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.controls { position: absolute; top: 6px; right: 6px; display: flex; gap: 4px; }
.controls[hidden] { display: none; }
button {
  font: inherit; color: #e6e6e6; background: #262a33cc; border: 1px solid #3a3f4b; border-radius: 3px;
  padding: 2px 8px; cursor: pointer;
}
button:hover { background: #323744; }
.message { position: absolute; left: 6px; right: 6px; top: 6px; padding: 6px 8px; border-radius: 3px;
  background: #3a1d1d; color: #ff8a8a; white-space: pre-wrap; }
.message[hidden] { display: none; }
`;

let shared: CSSStyleSheet | undefined;

/** One stylesheet shared by every <ecs-sim> on the page. */
export function elementStyleSheet(): CSSStyleSheet {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(CSS);
  }
  return shared;
}
