// Downloads: probe series as CSV, the config as JSON, the 3D view as PNG.

function download(name: string, href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The probe series as CSV text: t_ms, then per probe its concentration (mM) and E_K (mV). */
export function probeSeriesCsv(names: string[], time_ms: number[], concentration_mM: number[][], EK_mV: number[][]): string {
  const header = ['t_ms', ...names.flatMap((name) => [`${name}_mM`, `${name}_EK_mV`])].join(',');
  let text = header + '\n';
  for (let s = 0; s < time_ms.length; s++) {
    text += [time_ms[s], ...concentration_mM.flatMap((c, p) => [c[s], EK_mV[p][s]])].join(',') + '\n';
  }
  return text;
}

export function downloadProbeSeries(csv: string): void {
  downloadText('ecs-sim-probes.csv', csv, 'text/csv');
}

export function downloadConfig(config: unknown): void {
  downloadText('ecs-sim-config.json', JSON.stringify(config, null, 2) + '\n', 'application/json');
}

export function downloadScreenshot(canvas: HTMLCanvasElement): void {
  download('ecs-sim.png', canvas.toDataURL('image/png'));
}
