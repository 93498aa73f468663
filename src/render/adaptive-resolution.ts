// Drawing-buffer scale of a 3D view that follows the frame rate: lowered while frames take long
// (software WebGL, large grids) and raised again when there is room, so a page stays responsive on
// any machine.

/** Frame interval (ms) above which the scale drops to 0.8× (down to MIN_SCALE). */
const SLOW_FRAME_MS = 80;
/** Frame interval (ms) below which the scale rises by 1.1× (up to 1). */
const FAST_FRAME_MS = 30;
const MIN_SCALE = 0.3;
/** Longer gaps mean nothing was drawn for a while (an idle view), not a slow frame. */
const IDLE_GAP_MS = 500;

export class AdaptiveResolution {
  /** Fraction of the full drawing resolution, MIN_SCALE…1. */
  scale = 1;
  private lastFrame = 0;

  /** Call after each drawn frame; true when the scale changed (resize the view then). */
  frameDrawn(now: number = performance.now()): boolean {
    const interval = now - this.lastFrame;
    this.lastFrame = now;
    if (interval > IDLE_GAP_MS) return false;
    const next = interval > SLOW_FRAME_MS ? Math.max(MIN_SCALE, this.scale * 0.8)
      : interval < FAST_FRAME_MS ? Math.min(1, this.scale * 1.1) : this.scale;
    if (Math.abs(next - this.scale) <= 0.01) return false;
    this.scale = next;
    return true;
  }
}
