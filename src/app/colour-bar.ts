// The colour bar under the 3D view: the colormap from the window's low to high end, with units.
import { colormapTable, type ColormapName } from '../core/colormaps.js';

export class ColourBar {
  private readonly canvas = document.createElement('canvas');
  private readonly low = document.createElement('span');
  private readonly high = document.createElement('span');
  private readonly title = document.createElement('span');

  constructor(container: HTMLElement) {
    container.classList.add('colour-bar');
    this.canvas.width = 256;
    this.canvas.height = 1;
    this.title.className = 'colour-bar-title';
    container.append(this.title, this.low, this.canvas, this.high);
  }

  update(colormap: ColormapName, low: number, high: number, unit: string, title: string): void {
    const context = this.canvas.getContext('2d')!;
    const image = context.createImageData(256, 1);
    image.data.set(colormapTable(colormap, 256));
    context.putImageData(image, 0, 0);
    this.low.textContent = `${format(low)} ${unit}`;
    this.high.textContent = `${format(high)} ${unit}`;
    this.title.textContent = title;
  }
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
