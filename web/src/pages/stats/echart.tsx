import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the statistics page draws, so the page's chunk carries a fraction of ECharts.
use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** The options the page's charts use: bars or a line on a grid, with a tooltip. */
export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption>;

/**
 * One ECharts chart in a div that follows its container's width. The drawing is an image for
 * assistive technology: `summary` becomes its label, and the page shows the numbers as a table too.
 * `onPick` gets the index of a clicked bar or point.
 */
export function EChart({ option, summary, height, onPick }: { option: ChartOption; summary: string; height: number; onPick?: (dataIndex: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const instance = init(box.current!, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (event) => pick.current?.(event.dataIndex));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={summary} style={{ width: '100%', height }} />;
}
