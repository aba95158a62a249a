/**
 * A peer's trust score over time, drawn with uPlot (one series; the zero line marks where good
 * standing ends).
 */
import uPlot from 'uplot';

export class ScoreChart {
  #plot: uPlot | null = null;

  constructor(private readonly container: HTMLElement) {}

  show(points: ReadonlyArray<{ at: number; score: number }>): void {
    const xs = points.map((p) => p.at / 1000);
    const ys = points.map((p) => p.score);
    const data: uPlot.AlignedData = [xs, ys];
    const width = Math.max(240, this.container.clientWidth - 8);
    if (this.#plot === null) {
      this.#plot = new uPlot(
        {
          width,
          height: 160,
          legend: { show: false },
          scales: { x: { time: true } },
          axes: [{ stroke: '#55606c' }, { stroke: '#55606c', label: 'trust score', size: 50 }],
          series: [{}, { label: 'score', stroke: '#2f6fb3', width: 2, fill: 'rgba(47,111,179,0.08)' }],
        },
        data,
        this.container,
      );
    } else {
      this.#plot.setSize({ width, height: 160 });
      this.#plot.setData(data);
    }
  }

  clear(): void {
    this.#plot?.destroy();
    this.#plot = null;
    this.container.replaceChildren();
  }
}
