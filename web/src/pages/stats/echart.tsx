import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption, ECharts } from 'echarts/core';
import { useEffect, useRef } from 'react';

/** The options the console's charts use: bars or a line on a grid, with a tooltip and a legend. */
export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

/**
 * One ECharts chart in a div that follows its container's width. The drawing is an image for
 * assistive technology: `summary` becomes its label, and the page shows the numbers as a table too.
 * `onPick` gets the index of a clicked bar or point. ECharts itself is fetched after the page is
 * on screen (its numbers are in the table meanwhile), so it never weighs on the page's first load.
 */
export function EChart({ option, summary, height, onPick }: { option: ChartOption; summary: string; height: number; onPick?: (dataIndex: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let unmounted = false;
    let cleanUp = () => {};
    void import('./echarts-setup.js').then(
      ({ init }) => {
        if (unmounted || !box.current) return;
        const instance = init(box.current, undefined, { renderer: 'canvas' });
        chart.current = instance;
        instance.on('click', (event) => pick.current?.(event.dataIndex));
        instance.setOption(latest.current, { notMerge: true });
        const observer = new ResizeObserver(() => instance.resize());
        observer.observe(box.current);
        cleanUp = () => {
          observer.disconnect();
          instance.dispose();
          chart.current = null;
        };
      },
      () => {
        // Without the chart library (a dropped connection), the table beside the chart still has every number.
      },
    );
    return () => {
      unmounted = true;
      cleanUp();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={summary} style={{ width: '100%', height }} />;
}
